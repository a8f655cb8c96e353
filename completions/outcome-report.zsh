#compdef outcome-report

__outcome-report_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__outcome-report_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __outcome-report_complete "${completions[@]:0:-1}"
    fi
}

__outcome-report_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_outcome-report() {
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
    local -ar ___format=('html' 'markdown' 'csv' 'jsonl' 'tallies')
    local -ar ___spc_limits=('all' 'baseline')
    local -ar arg_specs=(
        '*:file:_files -g '\''*.jsonl *.tallies'\'''
        '--merge[Read tallies files (--format tallies) and report on them all, as one run on all their people would.]'
        '--baseline[The baseline\: a financial year (2024-25 or FY2024) or FROM..TO dates.]:period:'
        '--period[The period reported on, as --baseline.]:period:'
        '--group-by[Compare practices, teams, or values of any field path (default\: practice).]:field:'
        '--format[html, markdown, csv, jsonl, or tallies (what the report adds up, to --merge).]:format:{__outcome-report_complete "${___format[@]}"}'
        '--suppress-below[Suppress counts from 1 to N − 1 (default\: 5).]:n:'
        '--no-suppression[Turn disclosure control off (stamped into the output).]'
        '--targets[CSV of metric,change_percent\: progress of each against its target change from the baseline.]:file:_files -g '\''*.csv'\'''
        '--unit-costs[CSV of item,cost (bed_day, care_home_week, ae_attendance, emergency_admission)\: an estimated cost difference.]:file:_files -g '\''*.csv'\'''
        '--population[CSV of \[group,\]\[period,\]age_band,population\: population denominators by five-year band (0-4 … 90+) instead of the people in the stream.]:file:_files -g '\''*.csv'\'''
        '--spc-limits[XmR process limits from every month (all, the default), or from the baseline months and then held (is the period different from before?).]:from:{__outcome-report_complete "${___spc_limits[@]}"}'
        '--spc-run-length[Points in a run that signals a shift or a trend (Making Data Count\: 7, the default).]:n:'
        '--threads[Threads reading at once (the report is the same whatever the number; default\: 2).]:n:'
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
            "_outcome-report_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_outcome-report_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _outcome-report ]]; then
    _outcome-report "${@}"
else
    compdef _outcome-report outcome-report
fi
