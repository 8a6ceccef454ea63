# snmpsim's command responder, started by the SNMP test rig (Tests/Rigs/SNMPAgent.swift).
#
# snmpsim 1.2.2 hands its --max-var-binds option to pysnmp as `maxVarBinds`, which pysnmp 7 no
# longer reads: its GETBULK responder keeps its class default of 64 values per answer, whatever
# the option says. This sets pysnmp's own attribute (`max_varbinds`) from the option, then runs
# snmpsim unchanged.
import sys

from pysnmp.entity.rfc3413 import cmdrsp

for argument in sys.argv[1:]:
    if argument.startswith("--max-var-binds="):
        cmdrsp.BulkCommandResponder.max_varbinds = int(argument.split("=", 1)[1])

from snmpsim.commands.responder import main  # noqa: E402

sys.exit(main())
