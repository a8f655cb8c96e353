#compdef synth-extract

__synth-extract_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__synth-extract_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __synth-extract_complete "${completions[@]:0:-1}"
    fi
}

__synth-extract_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_synth-extract() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar ___format=('tables' 'synthea')
    local -ar arg_specs=(
        '--people[Number of people.]:people:'
        '--seed[Random seed\: the same seed gives byte-identical files.]:seed:'
        '--out[Output folder (created if missing); each table is written atomically.]:dir:_files -/'
        '--format[Extract shape to write.]:format:{__synth-extract_complete "${___format[@]}"}'
        '--end[Last day of the simulated history (YYYY-MM-DD).]:date:'
        '--years[Years of history before --end.]:years:'
        '--practices[Number of GP practices.]:practices:'
        '--bad-rows[Deliberately bad rows to add (tables format).]:bad-rows:'
        '--plant-mdt[Plant MDT reviews, chosen on a spike in emergency admissions (65 and over, 2 or more in the year before, half of them reviewed), that change the later emergency-admission rate by this relative effect (--plant-mdt=-0.15\: 15 % fewer; 0\: no change). For testing impact-report (docs/evaluation.md).]:effect:'
        '--plant-from[First day a planted review can fall in (default\: two years before --end).]:date:'
        '--plant-to[Last day a planted review can fall in (default\: a year before --end).]:date:'
        '--plant-uptake[Share of the people on a spike who are reviewed.]:share:'
        '--split[Tables format\: write gp/, hospital/ and council/ folders, as three organisations would send them.]'
        '(-q --quiet)'{-q,--quiet}'[Print nothing on standard error but errors.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        help)
            "_synth-extract_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_synth-extract_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _synth-extract ]]; then
    _synth-extract "${@}"
else
    compdef _synth-extract synth-extract
fi
