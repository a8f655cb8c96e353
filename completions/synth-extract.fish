function __synth-extract_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __synth-extract_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __synth-extract_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __synth-extract_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __synth-extract_parse_tokens -S
    set -l unparsed_tokens (__synth-extract_tokens -pc)
    switch $unparsed_tokens[1]
    case 'synth-extract'
        __synth-extract_parse_subcommand 0 'people=' 'seed=' 'out=' 'format=' 'end=' 'years=' 'practices=' 'bad-rows=' 'plant-mdt=' 'plant-from=' 'plant-to=' 'plant-uptake=' 'split' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __synth-extract_parse_subcommand -r 1 'version'
        end
    end
end

function __synth-extract_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __synth-extract_parse_subcommand -S -a positional_count
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

function __synth-extract_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __synth-extract_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__synth-extract_tokens -p)
    if test -z "$(__synth-extract_tokens -t)"
        set -l index (count (__synth-extract_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'synth-extract' -f
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" people' -l 'people' -d 'Number of people.' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" seed' -l 'seed' -d 'Random seed: the same seed gives byte-identical files.' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" out' -l 'out' -d 'Output folder (created if missing); each table is written atomically.' -rfa '(__synth-extract_complete_directories)'
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" format' -l 'format' -d 'Extract shape to write.' -rfka 'tables synthea'
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" end' -l 'end' -d 'Last day of the simulated history (YYYY-MM-DD).' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" years' -l 'years' -d 'Years of history before --end.' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" practices' -l 'practices' -d 'Number of GP practices.' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" bad-rows' -l 'bad-rows' -d 'Deliberately bad rows to add (tables format).' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" plant-mdt' -l 'plant-mdt' -d 'Plant MDT reviews, chosen on a spike in emergency admissions (65 and over, 2 or more in the year before, half of them reviewed), that change the later emergency-admission rate by this relative effect (--plant-mdt=-0.15: 15 % fewer; 0: no change). For testing impact-report (docs/evaluation.md).' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" plant-from' -l 'plant-from' -d 'First day a planted review can fall in (default: two years before --end).' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" plant-to' -l 'plant-to' -d 'Last day a planted review can fall in (default: a year before --end).' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" plant-uptake' -l 'plant-uptake' -d 'Share of the people on a spike who are reviewed.' -rfka ''
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" split' -l 'split' -d 'Tables format: write gp/, hospital/ and council/ folders, as three organisations would send them.'
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" version' -l 'version' -d 'Show the version.'
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_positional "synth-extract" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'synth-extract' -n '__synth-extract_should_offer_completions_for_flags_or_options "synth-extract help" version' -l 'version' -d 'Show the version.'
