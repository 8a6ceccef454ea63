import CNetSNMP
import SimpulCore

/// SNMPv3 master keys (Ku, RFC 3414 A.2) by protocol and password: deriving one hashes a megabyte,
/// so each password is derived once per process, not once per poll. Engine thread only.
final class MasterKeys {
    private struct Key: Hashable {
        let protocolID: Int32
        let password: String
    }

    private var keys: [Key: [UInt8]] = [:]

    /// The key of `password` for `auth`, or nil when net-snmp refuses the password.
    func key(_ password: String, for auth: SNMPAuthProtocol) -> [UInt8]? {
        let protocolID = auth == .sha256 ? simpul_auth_sha256 : simpul_auth_sha1
        let key = Key(protocolID: protocolID, password: password)
        if let known = keys[key] { return known }
        var out = [UInt8](repeating: 0, count: simpul_ku_capacity)
        var length = out.count
        let bytes = Array(password.utf8)
        let status = bytes.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                simpul_generate_ku(protocolID, p.baseAddress, p.count, o.baseAddress, &length)
            }
        }
        guard status == SNMPERR_SUCCESS, length > 0, length <= out.count else { return nil }
        let result = Array(out.prefix(length))
        keys[key] = result
        return result
    }
}

/// Who holds net-snmp's USM table entry for one engineID and user name. net-snmp keeps a single
/// entry per pair, with the keys it was first given: two walks of one device with different
/// passwords (a password being changed, a test of a wrong one beside a right one) would share the
/// first one's keys. So a walk holds the entry while it runs; a walk with other keys waits for it;
/// the last holder removes the entry, and the next walk localizes its own keys again. Engine thread only.
final class USMUsers {
    struct Entry: Hashable {
        let engineID: [UInt8]
        let user: String
    }

    private struct Holding {
        var keys: [UInt8]
        var count: Int
    }

    private var held: [Entry: Holding] = [:]
    private var waiting: [Entry: [WalkJob]] = [:]

    /// True when `job` may use the entry now (it is free, or held with the same keys).
    func acquire(_ entry: Entry, keys: [UInt8], for job: WalkJob) -> Bool {
        if var holding = held[entry] {
            guard holding.keys == keys else {
                waiting[entry, default: []].append(job)
                return false
            }
            holding.count += 1
            held[entry] = holding
            return true
        }
        // Nobody holds it: whatever net-snmp kept from before goes, so the job's own keys are used.
        entry.engineID.withUnsafeBufferPointer { simpul_usm_forget_user($0.baseAddress, $0.count, entry.user) }
        held[entry] = Holding(keys: keys, count: 1)
        return true
    }

    /// Lets go of the entry; returns the jobs that waited for it, to try again.
    func release(_ entry: Entry) -> [WalkJob] {
        guard var holding = held[entry] else { return [] }
        holding.count -= 1
        if holding.count > 0 {
            held[entry] = holding
            return []
        }
        held[entry] = nil
        entry.engineID.withUnsafeBufferPointer { simpul_usm_forget_user($0.baseAddress, $0.count, entry.user) }
        return waiting.removeValue(forKey: entry) ?? []
    }

    /// Forgets a job that waited and is finished (cancelled, or out of time).
    func stopWaiting(_ job: WalkJob) {
        for (entry, jobs) in waiting {
            let rest = jobs.filter { $0 !== job }
            waiting[entry] = rest.isEmpty ? nil : rest
        }
    }
}
