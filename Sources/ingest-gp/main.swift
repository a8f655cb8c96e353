import CareCommands

IngestGP.main()
