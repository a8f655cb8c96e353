#compdef impact-report

__impact-report_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__impact-report_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __impact-report_complete "${completions[@]:0:-1}"
    fi
}

__impact-report_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_impact-report() {
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
    local -ar ___format=('html' 'markdown' 'csv' 'jsonl')
    local -ar arg_specs=(
        ':file:_files -g '\''*.jsonl'\'''
        '--intervention[The intervention\: a list and a condition on its elements, like '\''encounters where kind = "mdt-review"'\''.]:list where condition:'
        '--from[First day of the period the index dates fall in.]:date:'
        '--to[Last day of that period.]:date:'
        '--eligible[Who can be treated or a control, at the index (besides adults alive and registered), like '\''age >= 65'\''.]:condition:'
        '--exact[Fields matched exactly besides the index month, comma-separated (like sex,age_band,practice).]:fields:'
        '--ratio[Controls per treated person.]:k:'
        '--caliper[Caliper in standard deviations of the propensity logit.]:sd:'
        '--window[Length of the before and after windows (like 12m).]:duration:'
        '--pool[Candidate controls drawn per treated person in each index month.]:n:'
        '--bootstrap[Bootstrap resamples of the matched sets for the intervals.]:n:'
        '--seed[Seed of the control sample and the bootstrap.]:n:'
        '--prognostic[A fitted admission model (risk-model writes it)\: match also on its prognostic score.]:model.json:_files -g '\''*.json'\'''
        '--penalty[L2 penalty of the propensity model.]:lambda:'
        '--unit-costs[CSV of item,cost (emergency_admission, bed_day, ae_attendance)\: an estimated cost difference.]:file:_files -g '\''*.csv'\'''
        '--format[Output format.]:format:{__impact-report_complete "${___format[@]}"}'
        '--no-suppression[Turn disclosure control off (stamped into the output).]'
        '--codelists[eFI code lists for the eFI feature (as risk-score --codelists).]:dir:_files -/'
        '--threads[Threads reading at once.]:n:'
        '--imd[Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1\: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).]:file:_files -g '\''*.csv'\'''
        '(-o --output)'{-o,--output}'[Write to FILE (atomically\: a temporary file, then rename) instead of standard output.]:file:'
        '--rejects[Write each rejected record to FILE as a JSON line (source, line, field, reason).]:file:'
        '--strict[Stop at the first rejected record (exit 65).]'
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
            "_impact-report_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_impact-report_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _impact-report ]]; then
    _impact-report "${@}"
else
    compdef _impact-report impact-report
fi
