function __impact-report_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __impact-report_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __impact-report_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __impact-report_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __impact-report_parse_tokens -S
    set -l unparsed_tokens (__impact-report_tokens -pc)
    switch $unparsed_tokens[1]
    case 'impact-report'
        __impact-report_parse_subcommand 1 'intervention=' 'from=' 'to=' 'eligible=' 'exact=' 'ratio=' 'caliper=' 'window=' 'pool=' 'bootstrap=' 'seed=' 'prognostic=' 'penalty=' 'unit-costs=' 'format=' 'no-suppression' 'codelists=' 'threads=' 'imd=' 'o/output=' 'rejects=' 'strict' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __impact-report_parse_subcommand -r 1 'version'
        end
    end
end

function __impact-report_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __impact-report_parse_subcommand -S -a positional_count
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

function __impact-report_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __impact-report_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__impact-report_tokens -p)
    if test -z "$(__impact-report_tokens -t)"
        set -l index (count (__impact-report_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'impact-report' -f
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_positional "impact-report" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" intervention' -l 'intervention' -d 'The intervention: a list and a condition on its elements, like \'encounters where kind = "mdt-review"\'.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" from' -l 'from' -d 'First day of the period the index dates fall in.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" to' -l 'to' -d 'Last day of that period.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" eligible' -l 'eligible' -d 'Who can be treated or a control, at the index (besides adults alive and registered), like \'age >= 65\'.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" exact' -l 'exact' -d 'Fields matched exactly besides the index month, comma-separated (like sex,age_band,practice).' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" ratio' -l 'ratio' -d 'Controls per treated person.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" caliper' -l 'caliper' -d 'Caliper in standard deviations of the propensity logit.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" window' -l 'window' -d 'Length of the before and after windows (like 12m).' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" pool' -l 'pool' -d 'Candidate controls drawn per treated person in each index month.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" bootstrap' -l 'bootstrap' -d 'Bootstrap resamples of the matched sets for the intervals.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" seed' -l 'seed' -d 'Seed of the control sample and the bootstrap.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" prognostic' -l 'prognostic' -d 'A fitted admission model (risk-model writes it): match also on its prognostic score.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" penalty' -l 'penalty' -d 'L2 penalty of the propensity model.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" unit-costs' -l 'unit-costs' -d 'CSV of item,cost (emergency_admission, bed_day, ae_attendance): an estimated cost difference.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" format' -l 'format' -d 'Output format.' -rfka 'html markdown csv jsonl'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" no-suppression' -l 'no-suppression' -d 'Turn disclosure control off (stamped into the output).'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" codelists' -l 'codelists' -d 'eFI code lists for the eFI feature (as risk-score --codelists).' -rfa '(__impact-report_complete_directories)'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" threads' -l 'threads' -d 'Threads reading at once.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" imd' -l 'imd' -d 'Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file, then rename) instead of standard output.' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" rejects' -l 'rejects' -d 'Write each rejected record to FILE as a JSON line (source, line, field, reason).' -rfka ''
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" strict' -l 'strict' -d 'Stop at the first rejected record (exit 65).'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" version' -l 'version' -d 'Show the version.'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_positional "impact-report" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'impact-report' -n '__impact-report_should_offer_completions_for_flags_or_options "impact-report help" version' -l 'version' -d 'Show the version.'
