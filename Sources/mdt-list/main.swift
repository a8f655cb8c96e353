import CareCommands

MDTList.main()
