#compdef risk-score

__risk-score_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__risk-score_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __risk-score_complete "${completions[@]:0:-1}"
    fi
}

__risk-score_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_risk-score() {
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
    local -ar ___models=('efi' 'hfrs' 'charlson' 'charlson:quan2011' 'charlson:charlson1987' 'elixhauser' 'lace')
    local -ar ___format=('jsonl' 'risk' 'csv' 'text')
    local -ar arg_specs=(
        ':file:_files -g '\''*.jsonl'\'''
        '--models[Models to compute, comma-separated, each optionally with \:variant (default\: efi,hfrs,charlson,elixhauser,lace).]:list:{__risk-score_complete "${___models[@]}"}'
        '--codelists[Folder of eFI code lists replacing the bundled starter list\: OpenCodelists CSV files (SLUG.csv or SLUG.SYSTEM.csv with a code column), or a gm-sde clinical-code-sets folder (CATEGORY/efi-SLUG/1/efi-SLUG.SYSTEM.txt).]:dir:_files -/'
        '--lookback-years[Years of hospital diagnoses Charlson, Elixhauser and LACE read, up to --as-of.]:n:'
        '--format[Output\: jsonl (records with "risk") or text (an explanation per person).]:format:{__risk-score_complete "${___format[@]}"}'
        '*--explain[Explain one person'\''s scores as text (repeat for several); everyone else is left out.]:id:'
        '--threads[Threads scoring at once (output is the same whatever the number).]:n:'
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
            "_risk-score_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_risk-score_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _risk-score ]]; then
    _risk-score "${@}"
else
    compdef _risk-score risk-score
fi
