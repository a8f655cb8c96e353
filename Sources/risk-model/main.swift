import CareCommands

RiskModel.main()
