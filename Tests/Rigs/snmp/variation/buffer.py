# snmpsim variation module for the SNMP tests: an agent whose response buffer holds `limit` values.
# A GETBULK that asks for more (max-repetitions x the variables it repeats) gets no values:
#   reply=toobig  an answer with error-status tooBig (RFC 3416 4.2.3 allows it instead of fewer rows);
#   reply=drop    no answer at all, as when an oversized answer is lost on the way (a timeout).
#
# Record:  OID|TAG:buffer|limit=N,reply=toobig|drop,value=VALUE   (VALUE is what it answers otherwise)
from pysnmp.proto import rfc1905
from pysnmp.proto.api import v2c
from pysnmp.smi import error

from snmpsim.error import NoDataNotification
from snmpsim.utils import split


def init(**context):
    pass


def variate(oid, tag, value, **context):
    if not context["nextFlag"] and not context["exactMatch"]:
        return context["origOid"], tag, context["errorStatus"]

    if "settings" not in recordContext:
        recordContext["settings"] = dict([split(x, "=") for x in split(value, ",")])

    settings = recordContext["settings"]
    engine = context.get("snmpEngine")
    request = engine.observer.get_execution_context("rfc3412.receiveMessage:request") if engine else None
    pdu = request.get("pdu") if request else None
    if pdu is not None and pdu.tagSet == rfc1905.GetBulkRequestPDU.tagSet:
        repeated = len(v2c.apiPDU.get_varbinds(pdu)) - int(v2c.apiBulkPDU.get_non_repeaters(pdu))
        if int(v2c.apiBulkPDU.get_max_repetitions(pdu)) * max(repeated, 0) > int(settings["limit"]):
            if settings.get("reply") == "drop":
                raise NoDataNotification()
            raise error.TooBigError(name=oid, idx=0)

    return oid, tag, settings.get("value", "")


def shutdown(**context):
    pass
