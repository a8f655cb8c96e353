#compdef pathway-audit

__pathway-audit_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__pathway-audit_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __pathway-audit_complete "${completions[@]:0:-1}"
    fi
}

__pathway-audit_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_pathway-audit() {
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
    local -ar ___format=('jsonl' 'csv')
    local -ar arg_specs=(
        ':file:_files -g '\''*.jsonl'\'''
        '*--pathways[A pathway definition (YAML), or a folder of them; repeat for more.]:path:_files -g '\''*.yaml *.yml'\'''
        '--summary[Write the compliance per step and outcome per group instead of the records.]'
        '--format[With --summary\: jsonl or csv.]:format:{__pathway-audit_complete "${___format[@]}"}'
        '--group-by[With --summary\: one row set per practice, team or value of any field path.]:field:'
        '*--codelists[A folder of code lists (OpenCodelists CSV files, NAME.csv) that codelist("NAME") may name; its lists replace a pathway folder'\''s own of the same name. Repeat for more.]:dir:_files -/'
        '--history[Read, then rewrite, the days people entered the groups of pathways dated '\''entered'\'' (the MDT-review pathway'\''s high-risk group)\: give the same file every night.]:file:_files -g '\''*.csv'\'''
        '--check[Only check the definitions, then exit.]'
        '--threads[Threads auditing at once (output is the same whatever the number).]:n:'
        '--as-of[Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.]:date:'
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
            "_pathway-audit_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_pathway-audit_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _pathway-audit ]]; then
    _pathway-audit "${@}"
else
    compdef _pathway-audit pathway-audit
fi
