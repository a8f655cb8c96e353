#compdef risk-model

__risk-model_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__risk-model_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __risk-model_complete "${completions[@]:0:-1}"
    fi
}

__risk-model_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_risk-model() {
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
    local -ar arg_specs=(
        ':file:_files -g '\''*.jsonl'\'''
        '--horizon[How far ahead the outcome looks (like 12m, 6m, 365d).]:duration:'
        '--validate-as-of[Apply the fitted model on this later day and report how it did (temporal validation).]:date:'
        '--penalty[L2 penalty on the coefficients (0\: none).]:lambda:'
        '--bootstrap[Bootstrap refits for the optimism-corrected AUC and calibration slope (0\: none).]:n:'
        '--card[Write the model card\: HTML, or Markdown when FILE ends .md.]:file:_files -g '\''*.html *.md'\'''
        '--design[Write the design matrix and outcome the fit used (CSV).]:file:_files -g '\''*.csv'\'''
        '--codelists[eFI code lists for the eFI feature (as risk-score --codelists).]:dir:_files -/'
        '--threads[Threads reading at once.]:n:'
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
            "_risk-model_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_risk-model_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _risk-model ]]; then
    _risk-model "${@}"
else
    compdef _risk-model risk-model
fi
