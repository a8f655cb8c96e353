function __risk-model_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __risk-model_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __risk-model_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __risk-model_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __risk-model_parse_tokens -S
    set -l unparsed_tokens (__risk-model_tokens -pc)
    switch $unparsed_tokens[1]
    case 'risk-model'
        __risk-model_parse_subcommand 1 'horizon=' 'validate-as-of=' 'penalty=' 'bootstrap=' 'card=' 'design=' 'codelists=' 'threads=' 'as-of=' 'imd=' 'o/output=' 'rejects=' 'strict' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __risk-model_parse_subcommand -r 1 'version'
        end
    end
end

function __risk-model_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __risk-model_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __risk-model_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __risk-model_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__risk-model_tokens -p)
    if test -z "$(__risk-model_tokens -t)"
        set -l index (count (__risk-model_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'risk-model' -f
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_positional "risk-model" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" horizon' -l 'horizon' -d 'How far ahead the outcome looks (like 12m, 6m, 365d).' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" validate-as-of' -l 'validate-as-of' -d 'Apply the fitted model on this later day and report how it did (temporal validation).' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" penalty' -l 'penalty' -d 'L2 penalty on the coefficients (0: none).' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" bootstrap' -l 'bootstrap' -d 'Bootstrap refits for the optimism-corrected AUC and calibration slope (0: none).' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" card' -l 'card' -d 'Write the model card: HTML, or Markdown when FILE ends .md.' -rfa '(set -l exts \'html\' \'md\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" design' -l 'design' -d 'Write the design matrix and outcome the fit used (CSV).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" codelists' -l 'codelists' -d 'eFI code lists for the eFI feature (as risk-score --codelists).' -rfa '(__risk-model_complete_directories)'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" threads' -l 'threads' -d 'Threads reading at once.' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" as-of' -l 'as-of' -d 'Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" imd' -l 'imd' -d 'Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file, then rename) instead of standard output.' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" rejects' -l 'rejects' -d 'Write each rejected record to FILE as a JSON line (source, line, field, reason).' -rfka ''
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" strict' -l 'strict' -d 'Stop at the first rejected record (exit 65).'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" version' -l 'version' -d 'Show the version.'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_positional "risk-model" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'risk-model' -n '__risk-model_should_offer_completions_for_flags_or_options "risk-model help" version' -l 'version' -d 'Show the version.'
