function __risk-score_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __risk-score_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __risk-score_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __risk-score_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __risk-score_parse_tokens -S
    set -l unparsed_tokens (__risk-score_tokens -pc)
    switch $unparsed_tokens[1]
    case 'risk-score'
        __risk-score_parse_subcommand 1 'models=' 'codelists=' 'lookback-years=' 'format=' 'explain=+' 'threads=' 'as-of=' 'imd=' 'o/output=' 'rejects=' 'strict' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __risk-score_parse_subcommand -r 1 'version'
        end
    end
end

function __risk-score_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __risk-score_parse_subcommand -S -a positional_count
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

function __risk-score_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __risk-score_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__risk-score_tokens -p)
    if test -z "$(__risk-score_tokens -t)"
        set -l index (count (__risk-score_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'risk-score' -f
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_positional "risk-score" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" models' -l 'models' -d 'Models to compute, comma-separated, each optionally with :variant (default: efi,hfrs,charlson,elixhauser,lace).' -rfka 'efi hfrs charlson charlson:quan2011 charlson:charlson1987 elixhauser lace'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" codelists' -l 'codelists' -d 'Folder of eFI code lists replacing the bundled starter list: OpenCodelists CSV files (SLUG.csv or SLUG.SYSTEM.csv with a code column), or a gm-sde clinical-code-sets folder (CATEGORY/efi-SLUG/1/efi-SLUG.SYSTEM.txt).' -rfa '(__risk-score_complete_directories)'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" lookback-years' -l 'lookback-years' -d 'Years of hospital diagnoses Charlson, Elixhauser and LACE read, up to --as-of.' -rfka ''
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" format' -l 'format' -d 'Output: jsonl (records with "risk") or text (an explanation per person).' -rfka 'jsonl risk csv text'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score"' -l 'explain' -d 'Explain one person\'s scores as text (repeat for several); everyone else is left out.' -rfka ''
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" threads' -l 'threads' -d 'Threads scoring at once (output is the same whatever the number).' -rfka ''
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" as-of' -l 'as-of' -d 'Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.' -rfka ''
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" imd' -l 'imd' -d 'Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file, then rename) instead of standard output.' -rfka ''
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" rejects' -l 'rejects' -d 'Write each rejected record to FILE as a JSON line (source, line, field, reason).' -rfka ''
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" strict' -l 'strict' -d 'Stop at the first rejected record (exit 65).'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" version' -l 'version' -d 'Show the version.'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_positional "risk-score" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'risk-score' -n '__risk-score_should_offer_completions_for_flags_or_options "risk-score help" version' -l 'version' -d 'Show the version.'
