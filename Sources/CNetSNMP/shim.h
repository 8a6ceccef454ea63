#ifndef SIMPUL_CNETSNMP_SHIM_H
#define SIMPUL_CNETSNMP_SHIM_H
// net-snmp's config header defines _GNU_SOURCE and relies on fd_set being declared:
// include the system headers first, once, here.
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <stdlib.h>
#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/library/snmpusm.h>
#include <net-snmp/library/keytools.h>
#include <net-snmp/library/transform_oids.h>

// Macros Swift cannot import, as named constants.
static const int simpul_snmp_msg_get = SNMP_MSG_GET;
static const int simpul_snmp_msg_getnext = SNMP_MSG_GETNEXT;
static const int simpul_snmp_msg_getbulk = SNMP_MSG_GETBULK;
static const int simpul_snmp_msg_response = SNMP_MSG_RESPONSE;
static const int simpul_snmp_msg_report = SNMP_MSG_REPORT;
static const int simpul_snmp_nosuchobject = SNMP_NOSUCHOBJECT;
static const int simpul_snmp_nosuchinstance = SNMP_NOSUCHINSTANCE;
static const int simpul_snmp_endofmibview = SNMP_ENDOFMIBVIEW;
static const long simpul_snmp_version_2c = SNMP_VERSION_2c;
static const long simpul_snmp_version_3 = SNMP_VERSION_3;

// ASN.1 types of the values IF-MIB and SNMPv2-MIB answer with.
static const int simpul_asn_integer = ASN_INTEGER;
static const int simpul_asn_octet_str = ASN_OCTET_STR;
static const int simpul_asn_counter = ASN_COUNTER;
static const int simpul_asn_gauge = ASN_GAUGE;
static const int simpul_asn_timeticks = ASN_TIMETICKS;
static const int simpul_asn_counter64 = ASN_COUNTER64;

// What an asynchronous request's callback is told.
static const int simpul_op_received = NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE;
static const int simpul_op_timed_out = NETSNMP_CALLBACK_OP_TIMED_OUT;
static const int simpul_op_send_failed = NETSNMP_CALLBACK_OP_SEND_FAILED;
static const int simpul_op_sec_error = NETSNMP_CALLBACK_OP_SEC_ERROR;

// The error-status of a response PDU that asks for a smaller request.
static const long simpul_snmp_err_toobig = SNMP_ERR_TOOBIG;

// SNMPv3 report types, as snmpv3_get_report_type names the usmStats counter a report carries.
static const int simpul_report_unknown_user = SNMPERR_UNKNOWN_USER_NAME;
static const int simpul_report_unsupported_level = SNMPERR_UNSUPPORTED_SEC_LEVEL;
static const int simpul_report_wrong_digest = SNMPERR_AUTHENTICATION_FAILURE;
static const int simpul_report_unknown_engine = SNMPERR_UNKNOWN_ENG_ID;
static const int simpul_report_time_window = SNMPERR_NOT_IN_TIME_WINDOW;
static const int simpul_report_decryption = SNMPERR_DECRYPTION_ERR;
// Security levels and flags.
static const int simpul_sec_level_auth_nopriv = SNMP_SEC_LEVEL_AUTHNOPRIV;
static const int simpul_sec_level_auth_priv = SNMP_SEC_LEVEL_AUTHPRIV;
static const int simpul_sec_model_usm = SNMP_SEC_MODEL_USM;
static const long simpul_flags_dont_probe = SNMP_FLAGS_DONT_PROBE;

// The authentication protocols Simpul offers (SNMPAuthProtocol in SimpulCore).
static const int simpul_auth_sha1 = 1;
static const int simpul_auth_sha256 = 2;

/// Sets a GETBULK's non-repeaters and max-repetitions (net-snmp keeps them in errstat/errindex
/// behind macros Swift does not see).
static inline void simpul_pdu_set_bulk(netsnmp_pdu *pdu, long non_repeaters, long max_repetitions) {
    pdu->non_repeaters = non_repeaters;
    pdu->max_repetitions = max_repetitions;
}

/// The session's authentication protocol OID, from net-snmp's own tables; 0 when unknown.
static inline int simpul_session_set_auth(netsnmp_session *session, int protocol) {
    switch (protocol) {
    case 1:
        session->securityAuthProto = usmHMACSHA1AuthProtocol;
        session->securityAuthProtoLen = OID_LENGTH(usmHMACSHA1AuthProtocol);
        return 1;
    case 2:
        session->securityAuthProto = usmHMAC192SHA256AuthProtocol;
        session->securityAuthProtoLen = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
        return 1;
    default:
        return 0;
    }
}

/// AES-128 (CFB) privacy.
static inline void simpul_session_set_priv_aes128(netsnmp_session *session) {
    session->securityPrivProto = usmAESPrivProtocol;
    session->securityPrivProtoLen = OID_LENGTH(usmAESPrivProtocol);
}

/// The master key Ku (RFC 3414 A.2) of `password` for the authentication protocol `protocol`,
/// into `key` (room for USM_AUTH_KU_LEN bytes); its length in `key_len`. SNMPERR_SUCCESS or an error.
static inline int simpul_generate_ku(int protocol, const u_char *password, size_t password_len,
                                     u_char *key, size_t *key_len) {
    const oid *hash = NULL;
    u_int hash_len = 0;
    switch (protocol) {
    case 1: hash = usmHMACSHA1AuthProtocol; hash_len = OID_LENGTH(usmHMACSHA1AuthProtocol); break;
    case 2: hash = usmHMAC192SHA256AuthProtocol; hash_len = OID_LENGTH(usmHMAC192SHA256AuthProtocol); break;
    default: return SNMPERR_GENERR;
    }
    *key_len = USM_AUTH_KU_LEN;
    return generate_Ku(hash, hash_len, password, password_len, key, key_len);
}

static const size_t simpul_ku_capacity = USM_AUTH_KU_LEN;

/// Copies master keys into a session before it is opened (the arrays are fixed-size in the struct).
static inline int simpul_session_set_keys(netsnmp_session *session,
                                          const u_char *auth_key, size_t auth_len,
                                          const u_char *priv_key, size_t priv_len) {
    if (auth_len > sizeof(session->securityAuthKey) || priv_len > sizeof(session->securityPrivKey)) return 0;
    memcpy(session->securityAuthKey, auth_key, auth_len);
    session->securityAuthKeyLen = auth_len;
    if (priv_key != NULL && priv_len > 0) {
        memcpy(session->securityPrivKey, priv_key, priv_len);
        session->securityPrivKeyLen = priv_len;
    }
    return 1;
}

/// An engineID discovery request (RFC 3414 4): an empty GET, noAuthNoPriv, from the empty user,
/// which is added to the USM table once as net-snmp's own probe does. Sent asynchronously, so a
/// device that does not answer holds up no other device (net-snmp's own probe blocks).
static inline netsnmp_pdu *simpul_discovery_pdu(void) {
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
    if (pdu == NULL) return NULL;
    pdu->version = SNMP_VERSION_3;
    pdu->securityName = strdup("");
    pdu->securityNameLen = 0;
    pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
    pdu->securityModel = SNMP_SEC_MODEL_USM;
    if (pdu->securityName == NULL) { snmp_free_pdu(pdu); return NULL; }
    if (usm_get_user(NULL, 0, "") == NULL) {
        struct usmUser *user = (struct usmUser *)calloc(1, sizeof(struct usmUser));
        if (user == NULL) { snmp_free_pdu(pdu); return NULL; }
        user->name = strdup("");
        user->secName = strdup("");
        user->authProtocolLen = OID_LENGTH(usmNoAuthProtocol);
        user->authProtocol = snmp_duplicate_objid(usmNoAuthProtocol, user->authProtocolLen);
        user->privProtocolLen = OID_LENGTH(usmNoPrivProtocol);
        user->privProtocol = snmp_duplicate_objid(usmNoPrivProtocol, user->privProtocolLen);
        if (user->name == NULL || user->secName == NULL || user->authProtocol == NULL || user->privProtocol == NULL) {
            usm_free_user(user);
            snmp_free_pdu(pdu);
            return NULL;
        }
        usm_add_user(user);
    }
    return pdu;
}

/// Removes `name` at `engine_id` from net-snmp's USM table, so that the next session for that
/// device localizes its keys again from what it was given (net-snmp keeps the first keys it saw
/// for an engineID and user name, and would go on using a changed password's old keys).
static inline void simpul_usm_forget_user(const u_char *engine_id, size_t engine_id_len, const char *name) {
    struct usmUser *user = usm_get_user(engine_id, engine_id_len, name);
    if (user != NULL) {
        usm_remove_user(user);
        usm_free_user(user);
    }
}

/// The UDP socket of an open session, or -1.
static inline int simpul_session_socket(void *sessp) {
    netsnmp_transport *transport = snmp_sess_transport(sessp);
    return transport == NULL ? -1 : transport->sock;
}

/// Prepares the library for Simpul, before `init_snmp`: no configuration files (snmp.conf could
/// change timeouts or load MIBs), no MIB directories, no persistent files, and no logging (net-snmp
/// would print to standard error; every failure reaches the caller as an SNMPError instead).
static inline void simpul_snmp_prepare(const char *persistent_dir) {
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    if (persistent_dir != NULL) set_persistent_directory(persistent_dir);
    netsnmp_set_mib_directory("");
    netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
}

/// A GETBULK's non-repeaters and max-repetitions as set (for checks).
static inline long simpul_pdu_max_repetitions(const netsnmp_pdu *pdu) { return pdu->max_repetitions; }

#endif
