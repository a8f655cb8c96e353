import CareCommands

SynthExtract.main()
