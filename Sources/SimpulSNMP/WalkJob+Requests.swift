import CNetSNMP
import Foundation
import SimpulCore

/// Opening the session and building each request: the walk's side of net-snmp's API.
extension WalkJob {

    func open(_ engine: SNMPEngine) throws(SNMPError) -> UnsafeMutableRawPointer {
        var session = netsnmp_session()
        snmp_sess_init(&session)
        let peer = target.address.family == .v4 ? "udp:\(target.address):\(target.port)" : "udp6:[\(target.address)]:\(target.port)"
        // net-snmp retries nothing itself: a timeout comes back here, where a large GETBULK is
        // made smaller before it is sent again.
        session.retries = 0
        session.timeout = CLong(Self.microseconds(target.timing.timeout))
        session.callback = walkCallback
        session.callback_magic = Unmanaged.passUnretained(self).toOpaque()
        let opened: UnsafeMutableRawPointer?
        switch target.credential.security {
        case .community(let community):
            session.version = simpul_snmp_version_2c
            let bytes = Array(community.utf8)
            opened = peer.withCString { peerPointer in
                bytes.withUnsafeBufferPointer { communityPointer in
                    session.peername = UnsafeMutablePointer(mutating: peerPointer)
                    session.community = UnsafeMutablePointer(mutating: communityPointer.baseAddress)
                    session.community_len = communityPointer.count
                    return snmp_sess_open(&session)
                }
            }
        case .user(let user):
            guard let authKey = engine.keys.key(user.authPassword, for: user.auth) else {
                throw .session(target, "net-snmp refused to derive a key from the auth_password of \(target.credential.name)")
            }
            var privKey: [UInt8] = []
            if user.priv != nil, let password = user.privPassword {
                // RFC 3826: the privacy key is derived with the authentication protocol's hash.
                guard let key = engine.keys.key(password, for: user.auth) else {
                    throw .session(target, "net-snmp refused to derive a key from the priv_password of \(target.credential.name)")
                }
                privKey = key
            }
            userKeys = [UInt8(user.auth == .sha256 ? 2 : 1), UInt8(user.priv == nil ? 0 : 1)] + authKey + [0xFF] + privKey
            session.version = simpul_snmp_version_3
            session.securityModel = simpul_sec_model_usm
            session.securityLevel = user.priv == nil ? simpul_sec_level_auth_nopriv : simpul_sec_level_auth_priv
            _ = simpul_session_set_auth(&session, user.auth == .sha256 ? simpul_auth_sha256 : simpul_auth_sha1)
            if user.priv != nil { simpul_session_set_priv_aes128(&session) }
            // No probe when opening: net-snmp's probe blocks until the device answers. Discovery is
            // the first asynchronous request instead.
            session.flags |= UInt(simpul_flags_dont_probe)
            let keysSet = authKey.withUnsafeBufferPointer { a in
                privKey.withUnsafeBufferPointer { p in
                    simpul_session_set_keys(&session, a.baseAddress, a.count, p.baseAddress, p.count)
                }
            }
            guard keysSet == 1 else { throw .session(target, "a derived key does not fit net-snmp's session") }
            opened = peer.withCString { peerPointer in
                user.name.withCString { namePointer in
                    session.peername = UnsafeMutablePointer(mutating: peerPointer)
                    session.securityName = UnsafeMutablePointer(mutating: namePointer)
                    session.securityNameLen = strlen(namePointer)
                    return snmp_sess_open(&session)
                }
            }
            if let opened {
                // Opening clears the flag; sending must not probe either.
                snmp_sess_session(opened).pointee.flags |= UInt(simpul_flags_dont_probe)
            }
        }
        guard let opened else {
            throw .session(target, NetSNMPCall.error(of: &session))
        }
        return opened
    }

    func send(_ pdu: UnsafeMutablePointer<netsnmp_pdu>, now: ContinuousClock.Instant) {
        guard let session else {
            snmp_free_pdu(pdu)
            finish(.failure(.session(target, "no session")))
            return
        }
        let id = snmp_sess_async_send(session, pdu, walkCallback, Unmanaged.passUnretained(self).toOpaque())
        guard id != 0 else {
            snmp_free_pdu(pdu)
            finish(.failure(.session(target, NetSNMPCall.error(ofSession: session))))
            return
        }
        requestID = id
        sawTimeWindow = false
        requests += 1
        deadline = now.advanced(by: target.timing.timeout)
    }

    func sendDiscovery(now: ContinuousClock.Instant) {
        guard let pdu = simpul_discovery_pdu() else {
            finish(.failure(.session(target, "net-snmp could not build an engineID discovery request")))
            return
        }
        send(pdu, now: now)
    }

    /// A GETBULK over the open columns of the phase, from where each stands.
    func sendBulk(now: ContinuousClock.Instant) {
        guard let pdu = snmp_pdu_create(simpul_snmp_msg_getbulk) else {
            finish(.failure(.session(target, "net-snmp could not allocate a request")))
            return
        }
        let narrow = phase == .narrowWalk
        nonRepeaters = firstBulk && !narrow ? 2 : 1
        simpul_pdu_set_bulk(pdu, nonRepeaters, repetitions)
        snmp_add_null_var(pdu, sysUpTimeBase.arcs, sysUpTimeBase.count)
        if nonRepeaters == 2 { snmp_add_null_var(pdu, sysNameBase.arcs, sysNameBase.count) }
        open.removeAll(keepingCapacity: true)
        if narrow {
            for (i, c) in narrowColumns.enumerated() where !c.done {
                open.append(i)
                snmp_add_null_var(pdu, c.position.arcs, c.position.count)
            }
        } else {
            for (i, c) in columns.enumerated() where !c.done {
                open.append(i)
                snmp_add_null_var(pdu, c.position.arcs, c.position.count)
            }
        }
        send(pdu, now: now)
    }

    /// A GET of the 32-bit octet counters of the next batch of rows that lack 64-bit ones.
    func sendNarrowGet(now: ContinuousClock.Instant) {
        guard let pdu = snmp_pdu_create(simpul_snmp_msg_get) else {
            finish(.failure(.session(target, "net-snmp could not allocate a request")))
            return
        }
        getPlan.removeAll(keepingCapacity: true)
        // sysUpTime.0 first: the counters' agent time.
        snmp_add_null_var(pdu, sysUpTimeInstance.arcs, sysUpTimeInstance.count)
        var name = [oid](repeating: 0, count: RawOID.capacity)
        var index = narrowNext
        getRows = 0
        while index < narrowRows.count, getRows < getBatch {
            let slot = narrowRows[index]
            let row = rows[slot]
            for cursor in narrowColumns {
                let wanted = cursor.column == .inOctets ? !(row.inOctets?.is64Bit ?? false) : !(row.outOctets?.is64Bit ?? false)
                guard wanted else { continue }
                for i in 0..<cursor.prefix.count { name[i] = cursor.prefix.arcs[i] }
                name[cursor.prefix.count] = oid(UInt32(row.ifIndex))
                snmp_add_null_var(pdu, name, cursor.prefix.count + 1)
                getPlan.append((slot, cursor.column))
            }
            index += 1
            getRows += 1
        }
        send(pdu, now: now)
    }

    /// Sends the request out again, after a timeout or a tooBig.
    func resend(now: ContinuousClock.Instant) {
        switch phase {
        case .discovering: sendDiscovery(now: now)
        case .walking, .narrowWalk: sendBulk(now: now)
        case .narrowGet: sendNarrowGet(now: now)
        case .waiting, .awaitingUser, .finished: break
        }
    }
}
