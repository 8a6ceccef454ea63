import GRDB

extension AppDatabase {
    /// Versioned migrations. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-inventory-accounts-audit") { db in
            try db.execute(sql: """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) STRICT;

            CREATE TABLE agencies (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                address TEXT,
                contact_name TEXT, contact_title TEXT, contact_phone TEXT, contact_whatsapp TEXT, contact_email TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE providers (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                noc_name TEXT, noc_phone TEXT, noc_whatsapp TEXT, noc_email TEXT,
                sla_response_minutes INTEGER NOT NULL CHECK (sla_response_minutes > 0),
                sla_restore_minutes INTEGER NOT NULL CHECK (sla_restore_minutes > 0),
                sla_availability_percent REAL NOT NULL CHECK (sla_availability_percent > 0 AND sla_availability_percent <= 100),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE provider_escalations (
                id INTEGER PRIMARY KEY,
                provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
                level INTEGER NOT NULL,
                name TEXT NOT NULL, title TEXT, phone TEXT, whatsapp TEXT, email TEXT,
                after_minutes INTEGER NOT NULL DEFAULT 0,
                UNIQUE (provider_id, level)
            ) STRICT;

            CREATE TABLE rooms (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                site TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE racks (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE RESTRICT,
                name TEXT,
                height_u INTEGER NOT NULL CHECK (height_u BETWEEN 1 AND 60),
                feed_a_watts INTEGER, feed_b_watts INTEGER,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE devices (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                agency_id INTEGER REFERENCES agencies(id) ON DELETE RESTRICT,
                management_address TEXT,
                snmp_version TEXT, snmp_credential TEXT,
                site TEXT,
                rack_id INTEGER REFERENCES racks(id) ON DELETE RESTRICT,
                rack_position INTEGER, height_u INTEGER, power_watts INTEGER,
                vendor TEXT, model TEXT, serial TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                CHECK ((rack_id IS NULL) = (rack_position IS NULL))
            ) STRICT;
            CREATE INDEX devices_agency ON devices(agency_id);
            CREATE INDEX devices_rack ON devices(rack_id);

            CREATE TABLE links (
                id INTEGER PRIMARY KEY,
                circuit TEXT NOT NULL UNIQUE,
                agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE RESTRICT,
                down_mbps REAL NOT NULL CHECK (down_mbps > 0),
                up_mbps REAL NOT NULL CHECK (up_mbps > 0),
                technology TEXT NOT NULL,
                device_id INTEGER REFERENCES devices(id) ON DELETE RESTRICT,
                interface TEXT,
                health_address TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX links_agency ON links(agency_id);
            CREATE INDEX links_provider ON links(provider_id);
            CREATE INDEX links_device ON links(device_id);

            CREATE TABLE pools (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                prefix TEXT NOT NULL UNIQUE,
                family INTEGER NOT NULL CHECK (family IN (4, 6)),
                scope TEXT NOT NULL CHECK (scope IN ('private', 'public')),
                gateway TEXT,
                vlan INTEGER CHECK (vlan BETWEEN 1 AND 4094),
                description TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE pool_reserved (
                id INTEGER PRIMARY KEY,
                pool_id INTEGER NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
                first TEXT NOT NULL,
                last TEXT NOT NULL,
                note TEXT
            ) STRICT;
            CREATE INDEX pool_reserved_pool ON pool_reserved(pool_id);

            CREATE TABLE zones (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL CHECK (kind IN ('forward', 'reverse')),
                primary_ns TEXT NOT NULL,
                admin_email TEXT NOT NULL,
                default_ttl INTEGER NOT NULL,
                tsig_key TEXT,
                server TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;

            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                full_name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('admin', 'head', 'supervisor', 'technician', 'clerk', 'agency', 'viewer')),
                agency_id INTEGER REFERENCES agencies(id) ON DELETE RESTRICT,
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                language TEXT NOT NULL DEFAULT 'id',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                password_changed_at TEXT NOT NULL,
                last_login_at TEXT,
                CHECK ((role = 'agency') = (agency_id IS NOT NULL))
            ) STRICT;

            CREATE TABLE api_tokens (
                id INTEGER PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                token_prefix TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            ) STRICT;

            CREATE TABLE sessions (
                id INTEGER PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                language TEXT NOT NULL DEFAULT 'id',
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX sessions_user ON sessions(user_id);

            CREATE TABLE login_failures (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL,
                remote TEXT NOT NULL,
                at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX login_failures_username ON login_failures(username, at);
            CREATE INDEX login_failures_remote ON login_failures(remote, at);

            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                object_type TEXT NOT NULL,
                object_key TEXT NOT NULL,
                before TEXT,
                after TEXT,
                reason TEXT,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            ) STRICT;
            CREATE INDEX audit_log_object ON audit_log(object_type, object_key);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

            CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq INTEGER NOT NULL,
                hash TEXT NOT NULL
            ) STRICT;
            """)
        }
        migrator.registerMigration("v2-playbooks-tickets") { db in
            try db.execute(sql: """
            CREATE TABLE playbooks (
                id TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                title_id TEXT NOT NULL,
                title_en TEXT NOT NULL,
                definition TEXT NOT NULL,
                digest TEXT NOT NULL,
                loaded_at TEXT NOT NULL,
                loaded_by TEXT NOT NULL,
                PRIMARY KEY (id, version)
            ) STRICT;

            -- The version new tickets start on.
            CREATE TABLE playbook_heads (
                id TEXT PRIMARY KEY NOT NULL,
                version INTEGER NOT NULL,
                FOREIGN KEY (id, version) REFERENCES playbooks(id, version)
            ) STRICT;

            CREATE TABLE tickets (
                id INTEGER PRIMARY KEY,
                playbook_id TEXT NOT NULL,
                playbook_version INTEGER NOT NULL,
                subject TEXT NOT NULL,
                agency_id INTEGER REFERENCES agencies(id) ON DELETE RESTRICT,
                status TEXT NOT NULL CHECK (status IN ('open', 'held', 'done', 'cancelled')),
                priority TEXT NOT NULL CHECK (priority IN ('normal', 'high', 'urgent')),
                opened_at TEXT NOT NULL,
                opened_by TEXT NOT NULL,
                closed_at TEXT,
                current_step TEXT,
                current_visit INTEGER,
                current_entered_at TEXT,
                assignee TEXT,
                due_soon_at TEXT,
                due_at TEXT,
                -- Escalation rules fired on the current visit ("0,3"), for the clock sweep.
                current_fired TEXT,
                -- Holds of the current visit as JSON, when it has any.
                current_holds TEXT,
                updated_at TEXT NOT NULL,
                FOREIGN KEY (playbook_id, playbook_version) REFERENCES playbooks(id, version)
            ) STRICT;
            -- The list's order, most overdue first and the untimed last, is ifnull(due_at, '~'):
            -- one partial index per filter keeps every filtered page an index walk.
            CREATE INDEX tickets_active_due ON tickets(ifnull(due_at, '~'), id) WHERE status IN ('open', 'held');
            CREATE INDEX tickets_active_playbook ON tickets(playbook_id, ifnull(due_at, '~'), id) WHERE status IN ('open', 'held');
            CREATE INDEX tickets_active_agency ON tickets(agency_id, ifnull(due_at, '~'), id) WHERE status IN ('open', 'held');
            CREATE INDEX tickets_active_assignee ON tickets(assignee, ifnull(due_at, '~'), id) WHERE status IN ('open', 'held');
            CREATE INDEX tickets_active_step ON tickets(current_step, ifnull(due_at, '~'), id) WHERE status IN ('open', 'held');
            CREATE INDEX tickets_closed ON tickets(closed_at, id) WHERE status IN ('done', 'cancelled');
            CREATE INDEX tickets_playbook_opened ON tickets(playbook_id, opened_at);
            CREATE INDEX tickets_agency_opened ON tickets(agency_id, opened_at);

            -- The whole ticket (visits, evidence, holds) as JSON, apart from the narrow row that lists and sweeps read.
            CREATE TABLE ticket_states (
                ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
                state TEXT NOT NULL
            ) STRICT;

            -- One row per step visit: what the compliance report counts.
            CREATE TABLE ticket_steps (
                ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
                visit INTEGER NOT NULL,
                playbook_id TEXT NOT NULL,
                playbook_version INTEGER NOT NULL,
                step_id TEXT NOT NULL,
                actor TEXT NOT NULL,
                clock TEXT NOT NULL CHECK (clock IN ('office', 'third_party')),
                basis TEXT NOT NULL CHECK (basis IN ('wall', 'office')),
                standard_seconds REAL,
                agency_id INTEGER,
                entered_at TEXT NOT NULL,
                ended_at TEXT,
                outcome TEXT CHECK (outcome IN ('completed', 'cancelled')),
                completed_by TEXT,
                completed_role TEXT,
                on_behalf INTEGER NOT NULL DEFAULT 0,
                branch TEXT,
                elapsed_seconds REAL,
                held_seconds REAL,
                clock_state TEXT,
                PRIMARY KEY (ticket_id, visit)
            ) STRICT;
            CREATE INDEX ticket_steps_report ON ticket_steps(playbook_id, ended_at);

            CREATE TABLE ticket_history (
                id INTEGER PRIMARY KEY,
                ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
                at TEXT NOT NULL,
                by TEXT NOT NULL,
                role TEXT,
                kind TEXT NOT NULL,
                step_id TEXT,
                visit INTEGER,
                branch TEXT,
                text TEXT,
                evidence TEXT,
                detail TEXT
            ) STRICT;
            CREATE INDEX ticket_history_ticket ON ticket_history(ticket_id, id);
            CREATE TRIGGER ticket_history_no_update BEFORE UPDATE ON ticket_history
                BEGIN SELECT RAISE(ABORT, 'ticket_history is append-only'); END;

            CREATE TABLE attachments (
                id INTEGER PRIMARY KEY,
                ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INTEGER NOT NULL CHECK (size >= 0),
                sha256 TEXT NOT NULL,
                data BLOB NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploaded_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX attachments_ticket ON attachments(ticket_id);

            -- Side effects to deliver after commit (notifications, escalations); kept until delivered.
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                created_at TEXT NOT NULL,
                kind TEXT NOT NULL,
                ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
                target TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'seen')),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                delivered_at TEXT
            ) STRICT;
            CREATE INDEX outbox_pending ON outbox(status, id);
            CREATE INDEX outbox_ticket ON outbox(ticket_id);
            """)
        }
        // The ticket list's indexes carry every filtered column after the sort keys, so a filter on
        // two columns (agency and step) is checked in the index, and a page's count reads the index
        // alone instead of one table row per match.
        migrator.registerMigration("v3-ticket-list-covering-indexes") { db in
            let filtered = "status, playbook_id, agency_id, current_step, assignee, priority, due_soon_at"
            try db.execute(sql: """
                DROP INDEX tickets_active_due;
                DROP INDEX tickets_active_playbook;
                DROP INDEX tickets_active_agency;
                DROP INDEX tickets_active_assignee;
                DROP INDEX tickets_active_step;
                DROP INDEX tickets_closed;
                CREATE INDEX tickets_active_due ON tickets(ifnull(due_at, '~'), id, \(filtered)) WHERE status IN ('open', 'held');
                CREATE INDEX tickets_active_playbook ON tickets(playbook_id, ifnull(due_at, '~'), id, \(filtered)) WHERE status IN ('open', 'held');
                CREATE INDEX tickets_active_agency ON tickets(agency_id, ifnull(due_at, '~'), id, \(filtered)) WHERE status IN ('open', 'held');
                CREATE INDEX tickets_active_assignee ON tickets(assignee, ifnull(due_at, '~'), id, \(filtered)) WHERE status IN ('open', 'held');
                CREATE INDEX tickets_active_step ON tickets(current_step, ifnull(due_at, '~'), id, \(filtered)) WHERE status IN ('open', 'held');
                CREATE INDEX tickets_closed ON tickets(closed_at, id, \(filtered)) WHERE status IN ('done', 'cancelled');
                """)
        }
        // Addresses handed out of pools, their free space as ranges, and who had each address.
        migrator.registerMigration("v4-ipam") { db in
            try db.execute(sql: """
                CREATE TABLE ip_free (
                    pool_id INTEGER NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
                    first TEXT NOT NULL,
                    last TEXT NOT NULL,
                    PRIMARY KEY (pool_id, first),
                    CHECK (first <= last)
                ) STRICT, WITHOUT ROWID;
                CREATE UNIQUE INDEX ip_free_last ON ip_free(pool_id, last);

                CREATE TABLE ip_addresses (
                    id INTEGER PRIMARY KEY,
                    pool_id INTEGER NOT NULL REFERENCES pools(id) ON DELETE RESTRICT,
                    key TEXT NOT NULL,
                    address TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('held', 'assigned')),
                    owner TEXT NOT NULL,
                    hostname TEXT,
                    note TEXT,
                    idempotency_key TEXT,
                    held_until TEXT,
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    assigned_at TEXT,
                    assigned_by TEXT,
                    UNIQUE (pool_id, key),
                    UNIQUE (pool_id, idempotency_key),
                    CHECK ((state = 'held') = (held_until IS NOT NULL))
                ) STRICT;
                CREATE INDEX ip_addresses_holds ON ip_addresses(held_until) WHERE state = 'held';
                CREATE INDEX ip_addresses_owner ON ip_addresses(owner, pool_id, key);

                CREATE TABLE ip_history (
                    id INTEGER PRIMARY KEY,
                    pool_id INTEGER NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    address TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('held', 'assigned', 'released', 'expired')),
                    owner TEXT NOT NULL,
                    by TEXT NOT NULL,
                    at TEXT NOT NULL,
                    note TEXT
                ) STRICT;
                CREATE INDEX ip_history_address ON ip_history(pool_id, key, id);
                """)
            try IPAMStore.rebuildAllFree(db)
        }
        migrator.registerMigration("v5-dns") { db in
            try db.execute(sql: """
                CREATE TABLE dns_records (
                    id INTEGER PRIMARY KEY,
                    zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE RESTRICT,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL CHECK (type IN ('A', 'AAAA', 'PTR', 'CNAME', 'TXT', 'MX')),
                    ttl INTEGER NOT NULL CHECK (ttl BETWEEN 60 AND 604800),
                    data TEXT NOT NULL,
                    owner TEXT,
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    UNIQUE (zone_id, name, type, data)
                ) STRICT;
                CREATE INDEX dns_records_name ON dns_records(name, type);
                CREATE INDEX dns_records_data ON dns_records(data) WHERE type IN ('A', 'AAAA');
                CREATE INDEX dns_records_owner ON dns_records(owner) WHERE owner IS NOT NULL;
                -- At most one CNAME per name, and none beside other data (RFC 1034 3.6.2): the
                -- database refuses what a racing writer might slip past the service's check.
                CREATE UNIQUE INDEX dns_records_one_cname ON dns_records(name) WHERE type = 'CNAME';
                CREATE TRIGGER dns_records_cname_alone BEFORE INSERT ON dns_records
                    WHEN EXISTS (SELECT 1 FROM dns_records WHERE name = NEW.name AND (NEW.type = 'CNAME') != (type = 'CNAME'))
                    BEGIN SELECT RAISE(ABORT, 'a CNAME must be alone at its name'); END;

                CREATE TABLE dns_zone_serials (
                    zone_id INTEGER PRIMARY KEY REFERENCES zones(id) ON DELETE CASCADE,
                    serial INTEGER NOT NULL CHECK (serial BETWEEN 0 AND 4294967295),
                    changed_at TEXT NOT NULL
                ) STRICT;

                CREATE TABLE dns_changes (
                    id INTEGER PRIMARY KEY,
                    zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
                    serial INTEGER NOT NULL,
                    adds TEXT NOT NULL,
                    deletes TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'pushed', 'failed', 'superseded')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    requested_by TEXT NOT NULL,
                    requested_at TEXT NOT NULL,
                    pushed_at TEXT,
                    ticket_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL
                ) STRICT;
                CREATE INDEX dns_changes_unpushed ON dns_changes(zone_id, id) WHERE state IN ('pending', 'failed');
                CREATE INDEX dns_changes_ticket ON dns_changes(ticket_id) WHERE ticket_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("v6-hosting") { db in
            try db.execute(sql: """
                ALTER TABLE pools ADD COLUMN hosting INTEGER NOT NULL DEFAULT 0 CHECK (hosting IN (0, 1));

                -- A server an agency places in the data center: its request (SOP "Pelayanan Penitipan
                -- Server"), and, once placed, its device, address and monthly checks.
                CREATE TABLE hosting_requests (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id) ON DELETE RESTRICT,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                    state TEXT NOT NULL CHECK (state IN ('requested', 'placed', 'cancelled', 'decommissioned')),
                    letter_number TEXT NOT NULL,
                    letter_date TEXT NOT NULL,
                    letter_signed_by TEXT NOT NULL,
                    contact_name TEXT NOT NULL,
                    contact_phone TEXT,
                    contact_email TEXT,
                    hostname TEXT NOT NULL,
                    dns_name TEXT NOT NULL,
                    form_factor TEXT NOT NULL CHECK (form_factor IN ('rack', 'tower', 'blade')),
                    height_u INTEGER NOT NULL CHECK (height_u BETWEEN 1 AND 60),
                    depth_mm INTEGER CHECK (depth_mm BETWEEN 100 AND 1500),
                    power_watts INTEGER NOT NULL CHECK (power_watts BETWEEN 1 AND 20000),
                    network_ports INTEGER NOT NULL CHECK (network_ports BETWEEN 1 AND 64),
                    os TEXT,
                    application TEXT NOT NULL,
                    address_scope TEXT NOT NULL CHECK (address_scope IN ('private', 'public')),
                    pool TEXT,
                    address TEXT,
                    device_id INTEGER REFERENCES devices(id) ON DELETE RESTRICT,
                    last_error TEXT,
                    last_check_at TEXT,
                    last_check_by TEXT,
                    decommissioned_at TEXT,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                -- One live request or server per DNS name and per host name.
                CREATE UNIQUE INDEX hosting_live_dns ON hosting_requests(dns_name) WHERE state IN ('requested', 'placed');
                CREATE UNIQUE INDEX hosting_live_host ON hosting_requests(hostname) WHERE state IN ('requested', 'placed');
                CREATE INDEX hosting_agency ON hosting_requests(agency_id, state);
                CREATE UNIQUE INDEX hosting_device ON hosting_requests(device_id) WHERE device_id IS NOT NULL;

                -- What the link-health poller checks besides the links: hosted servers, by address.
                CREATE TABLE monitor_targets (
                    id INTEGER PRIMARY KEY,
                    device_id INTEGER NOT NULL UNIQUE REFERENCES devices(id) ON DELETE CASCADE,
                    address TEXT NOT NULL,
                    method TEXT NOT NULL CHECK (method IN ('icmp', 'tcp')),
                    port INTEGER CHECK (port BETWEEN 1 AND 65535),
                    enrolled_at TEXT NOT NULL,
                    enrolled_by TEXT NOT NULL,
                    CHECK ((method = 'tcp') = (port IS NOT NULL))
                ) STRICT;
                """)
        }
        // One pusher per zone at a time: a push claims the zone, reads every waiting change set of it
        // under the claim, delivers, and marks them in the transaction that lets the claim go. A claim
        // left by a killed process lapses at `expires_at`.
        migrator.registerMigration("v7-dns-push-claims") { db in
            try db.execute(sql: """
                CREATE TABLE dns_push_claims (
                    zone_id INTEGER PRIMARY KEY REFERENCES zones(id) ON DELETE CASCADE,
                    holder TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                ) STRICT;
                """)
        }
        // Each user's notifications are read up to this outbox row (the work page's "mark as read").
        migrator.registerMigration("v8-notifications-read") { db in
            try db.execute(sql: "ALTER TABLE users ADD COLUMN notifications_read_to INTEGER NOT NULL DEFAULT 0")
        }
        // A zone's in-zone primary name server's address(es), its glue (ZoneNameservers): space-separated.
        migrator.registerMigration("v9-zone-primary-ns-addresses") { db in
            try db.execute(sql: "ALTER TABLE zones ADD COLUMN primary_ns_addresses TEXT")
        }
        // In-app notifications ("waiting for your role", escalations shown on the work page) are not
        // deliveries: the old `outbox` becomes `notifications`, and `outbox` is now the one queue of side
        // effects to deliver (DNS change sets now; mail and webhooks next), each row claimed by one
        // worker at a time, retried with backoff, and kept visible when it fails for good.
        migrator.registerMigration("v10-outbox") { db in
            try db.execute(sql: """
                ALTER TABLE outbox RENAME TO notifications;
                DROP INDEX outbox_pending;
                DROP INDEX outbox_ticket;
                CREATE INDEX notifications_target ON notifications(target, id);
                CREATE INDEX notifications_ticket ON notifications(ticket_id);

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    channel TEXT NOT NULL CHECK (channel IN ('dns', 'mail', 'webhook')),
                    -- The same side effect asked for twice is delivered once.
                    dedupe_key TEXT NOT NULL UNIQUE CHECK (length(dedupe_key) BETWEEN 1 AND 500),
                    payload TEXT NOT NULL,
                    -- What the delivery is about, to show it where people look: its ticket, its zone.
                    ticket_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
                    subject TEXT,
                    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed', 'dismissed')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    max_attempts INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
                    next_attempt_at TEXT NOT NULL,
                    claimed_by TEXT,
                    claim_expires_at TEXT,
                    last_error TEXT,
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    delivered_at TEXT,
                    settled_by TEXT,
                    CHECK ((claimed_by IS NULL) = (claim_expires_at IS NULL))
                ) STRICT;
                CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE state = 'pending';
                CREATE INDEX outbox_state ON outbox(state, id);
                CREATE INDEX outbox_ticket ON outbox(ticket_id) WHERE ticket_id IS NOT NULL;
                CREATE INDEX outbox_subject ON outbox(subject, id) WHERE subject IS NOT NULL;
                """)
        }
        migrator.registerMigration("v11-faults-parts") { db in
            try db.execute(sql: """
                -- A fault report's own record beside its fault-dispatch ticket (as a hosting request
                -- is beside its ticket): what it is about, who reported it, and later why it happened.
                CREATE TABLE faults (
                    ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                    link_id INTEGER REFERENCES links(id) ON DELETE SET NULL,
                    device_id INTEGER REFERENCES devices(id) ON DELETE SET NULL,
                    channel TEXT NOT NULL CHECK (channel IN ('phone', 'whatsapp', 'walk_in', 'web', 'email', 'monitoring', 'api')),
                    reporter_name TEXT NOT NULL CHECK (length(reporter_name) BETWEEN 1 AND 200),
                    reporter_contact TEXT CHECK (reporter_contact IS NULL OR length(reporter_contact) BETWEEN 1 AND 200),
                    symptom TEXT NOT NULL CHECK (symptom IN ('no_connection', 'slow', 'intermittent', 'service_down', 'equipment_broken', 'other')),
                    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
                    -- When the outage started (the reporter's word, or the poller's first failed poll):
                    -- what the provider's SLA and the outage minutes are measured from.
                    started_at TEXT NOT NULL,
                    reported_at TEXT NOT NULL,
                    -- 1 while its ticket is open or held: one open fault per link, one per device.
                    open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
                    cause TEXT CHECK (cause IS NULL OR cause IN ('fiber_cut', 'power', 'device_failure', 'configuration', 'provider_upstream', 'user_side', 'other')),
                    resolution TEXT CHECK (resolution IS NULL OR length(resolution) <= 4000),
                    -- The provider's clock: whom it went to, the level reached, what the provider said.
                    provider_id INTEGER REFERENCES providers(id) ON DELETE RESTRICT,
                    escalation_level INTEGER CHECK (escalation_level IS NULL OR escalation_level >= 1),
                    escalated_at TEXT,
                    provider_ticket TEXT CHECK (provider_ticket IS NULL OR length(provider_ticket) <= 100),
                    acknowledged_at TEXT,
                    restored_at TEXT,
                    created_by TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    -- Someone must be reachable, unless the poller reported it.
                    CHECK (reporter_contact IS NOT NULL OR channel = 'monitoring'),
                    CHECK ((escalated_at IS NULL) = (provider_id IS NULL)),
                    CHECK (acknowledged_at IS NULL OR escalated_at IS NOT NULL),
                    CHECK (restored_at IS NULL OR escalated_at IS NOT NULL)
                ) STRICT;
                CREATE UNIQUE INDEX faults_open_link ON faults(link_id) WHERE open = 1 AND link_id IS NOT NULL;
                CREATE UNIQUE INDEX faults_open_device ON faults(device_id) WHERE open = 1 AND device_id IS NOT NULL AND link_id IS NULL;
                CREATE INDEX faults_agency ON faults(agency_id, reported_at);
                CREATE INDEX faults_escalated ON faults(provider_id, escalated_at) WHERE provider_id IS NOT NULL;
                CREATE INDEX faults_reported ON faults(reported_at);

                -- Every report of a fault: the first, and later ones attached to it instead of a new ticket.
                CREATE TABLE fault_reports (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL REFERENCES faults(ticket_id) ON DELETE CASCADE,
                    channel TEXT NOT NULL CHECK (channel IN ('phone', 'whatsapp', 'walk_in', 'web', 'email', 'monitoring', 'api')),
                    reporter_name TEXT NOT NULL CHECK (length(reporter_name) BETWEEN 1 AND 200),
                    reporter_contact TEXT CHECK (reporter_contact IS NULL OR length(reporter_contact) BETWEEN 1 AND 200),
                    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
                    reported_at TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    -- A sender's own id for its report (an API client's): the same report sent twice is kept once.
                    external_id TEXT UNIQUE CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 200)
                ) STRICT;
                CREATE INDEX fault_reports_ticket ON fault_reports(ticket_id, id);

                -- The technician's work log: what was checked, found and done, and how it ended.
                CREATE TABLE fault_log (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL REFERENCES faults(ticket_id) ON DELETE CASCADE,
                    at TEXT NOT NULL,
                    by TEXT NOT NULL,
                    checked TEXT NOT NULL DEFAULT '' CHECK (length(checked) <= 4000),
                    found TEXT NOT NULL DEFAULT '' CHECK (length(found) <= 4000),
                    did TEXT NOT NULL DEFAULT '' CHECK (length(did) <= 4000),
                    outcome TEXT NOT NULL CHECK (outcome IN ('progress', 'fixed', 'not_fixed', 'waiting_provider')),
                    CHECK (length(checked) + length(found) + length(did) > 0)
                ) STRICT;
                CREATE INDEX fault_log_ticket ON fault_log(ticket_id, id);

                -- The provider's side, as evidence: each escalation level sent, the acknowledgement,
                -- the restoration, with who recorded it and the deliveries that carried it.
                CREATE TABLE provider_events (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL REFERENCES faults(ticket_id) ON DELETE CASCADE,
                    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE RESTRICT,
                    kind TEXT NOT NULL CHECK (kind IN ('escalated', 'acknowledged', 'restored')),
                    level INTEGER CHECK (level IS NULL OR level >= 1),
                    at TEXT NOT NULL,
                    by TEXT NOT NULL,
                    note TEXT CHECK (note IS NULL OR length(note) <= 4000),
                    provider_ticket TEXT CHECK (provider_ticket IS NULL OR length(provider_ticket) <= 100),
                    CHECK ((kind = 'escalated') = (level IS NOT NULL))
                ) STRICT;
                CREATE INDEX provider_events_ticket ON provider_events(ticket_id, id);
                CREATE INDEX provider_events_provider ON provider_events(provider_id, at);
                CREATE UNIQUE INDEX provider_events_level ON provider_events(ticket_id, level) WHERE kind = 'escalated';

                -- Past faults found by their words (description, work log, resolution): one row per fault.
                CREATE VIRTUAL TABLE fault_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');

                -- Spare parts in stock (seed 000: upkeep "with the stock of spare parts").
                CREATE TABLE parts (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
                    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                    unit TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 32),
                    quantity INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
                    minimum INTEGER NOT NULL DEFAULT 0 CHECK (minimum >= 0),
                    location TEXT CHECK (location IS NULL OR length(location) <= 200),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX parts_low ON parts(quantity, minimum);

                -- Every change of stock: received, used on a ticket (and its work-log entry), corrected.
                CREATE TABLE part_movements (
                    id INTEGER PRIMARY KEY,
                    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE RESTRICT,
                    delta INTEGER NOT NULL CHECK (delta <> 0),
                    kind TEXT NOT NULL CHECK (kind IN ('receive', 'use', 'adjust')),
                    ticket_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
                    log_id INTEGER REFERENCES fault_log(id) ON DELETE SET NULL,
                    note TEXT CHECK (note IS NULL OR length(note) <= 1000),
                    at TEXT NOT NULL,
                    by TEXT NOT NULL,
                    CHECK ((kind = 'receive') = (delta > 0) OR kind = 'adjust'),
                    CHECK (kind <> 'use' OR ticket_id IS NOT NULL)
                ) STRICT;
                CREATE INDEX part_movements_part ON part_movements(part_id, id);
                CREATE INDEX part_movements_ticket ON part_movements(ticket_id) WHERE ticket_id IS NOT NULL;

                -- Message templates the office edits (the escalation mail, the gateway's message);
                -- the shipped text is used while none is saved.
                CREATE TABLE message_templates (
                    name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
                    subject TEXT NOT NULL CHECK (length(subject) <= 500),
                    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
                    updated_at TEXT NOT NULL,
                    updated_by TEXT NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v12-outbox-attempts") { db in
            try db.execute(sql: """
                -- Every delivery attempt with its result, shown on the ticket it belongs to.
                CREATE TABLE outbox_attempts (
                    id INTEGER PRIMARY KEY,
                    outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
                    at TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'busy')),
                    error TEXT,
                    milliseconds REAL NOT NULL CHECK (milliseconds >= 0),
                    worker TEXT NOT NULL
                ) STRICT;
                CREATE INDEX outbox_attempts_row ON outbox_attempts(outbox_id, id);
                """)
        }
        migrator.registerMigration("v13-device-snmp-port") { db in
            try db.execute(sql: """
                -- The SNMP agent's UDP port (161 when NULL): example and test agents listen on loopback high ports.
                ALTER TABLE devices ADD COLUMN snmp_port INTEGER CHECK (snmp_port BETWEEN 1 AND 65535);
                """)
        }
        migrator.registerMigration("v14-lan-letters-upkeep") { db in
            try db.execute(sql: """
                -- LAN installation requests (SOP "Pelayanan Pemasangan dan Pemeliharaan Jaringan LAN"):
                -- the agency's letter and its disposition, where, and what is asked.
                CREATE TABLE lan_requests (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id) ON DELETE RESTRICT,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                    letter_number TEXT NOT NULL,
                    letter_date TEXT NOT NULL,
                    letter_signed_by TEXT NOT NULL,
                    disposition_from TEXT NOT NULL CHECK (disposition_from IN ('bupati', 'sekda')),
                    building TEXT NOT NULL,
                    floor TEXT,
                    rooms TEXT,
                    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 2000),
                    wifi INTEGER NOT NULL CHECK (wifi IN (0, 1)),
                    switches INTEGER NOT NULL CHECK (switches BETWEEN 0 AND 200),
                    asked TEXT NOT NULL,
                    contact_name TEXT NOT NULL,
                    contact_phone TEXT,
                    inventory_rows INTEGER NOT NULL DEFAULT 0,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX lan_requests_agency ON lan_requests(agency_id);

                -- Each agency's network inventory (the Buku Kendali Inventaris Jaringan): what it declared
                -- with a request, what installations added, what upkeep visits found.
                CREATE TABLE lan_inventory (
                    id INTEGER PRIMARY KEY,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                    kind TEXT NOT NULL,
                    brand TEXT, model TEXT, serial TEXT,
                    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
                    location TEXT,
                    condition TEXT NOT NULL,
                    notes TEXT,
                    source TEXT NOT NULL CHECK (source IN ('declared', 'installed', 'upkeep')),
                    ticket_id INTEGER REFERENCES tickets(id) ON DELETE RESTRICT,
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL
                ) STRICT;
                CREATE INDEX lan_inventory_agency ON lan_inventory(agency_id, kind);

                -- The technician's log of an installation: points installed and tested, materials.
                CREATE TABLE lan_work (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE RESTRICT,
                    at TEXT NOT NULL,
                    by TEXT NOT NULL,
                    points_installed INTEGER NOT NULL CHECK (points_installed BETWEEN 0 AND 2000),
                    points_passed INTEGER NOT NULL CHECK (points_passed BETWEEN 0 AND points_installed),
                    cable_metres INTEGER NOT NULL CHECK (cable_metres BETWEEN 0 AND 100000),
                    connectors INTEGER NOT NULL CHECK (connectors BETWEEN 0 AND 10000),
                    switches INTEGER NOT NULL CHECK (switches BETWEEN 0 AND 200),
                    access_points INTEGER NOT NULL CHECK (access_points BETWEEN 0 AND 200),
                    results TEXT,
                    note TEXT
                ) STRICT;
                CREATE INDEX lan_work_ticket ON lan_work(ticket_id, id);

                -- The office's outgoing letters: drafted, initialled in order, signed (numbered then),
                -- and kept as signed: the page's HTML and the PDF made from it, with their hashes.
                CREATE TABLE letter_sequences (
                    year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
                    last INTEGER NOT NULL CHECK (last BETWEEN 1 AND 999999)
                ) STRICT;
                CREATE TABLE letters (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE RESTRICT,
                    kind TEXT NOT NULL CHECK (kind IN ('approval', 'work_order', 'completion')),
                    state TEXT NOT NULL CHECK (state IN ('draft', 'signed')),
                    drafted_at TEXT NOT NULL,
                    drafted_by TEXT NOT NULL,
                    number TEXT UNIQUE,
                    year INTEGER,
                    sequence INTEGER,
                    signed_at TEXT,
                    signed_by TEXT,
                    signatory TEXT,
                    html TEXT,
                    html_sha256 TEXT,
                    pdf BLOB,
                    pdf_sha256 TEXT,
                    UNIQUE (ticket_id, kind),
                    UNIQUE (year, sequence),
                    CHECK ((state = 'signed') = (number IS NOT NULL AND html IS NOT NULL))
                ) STRICT;
                CREATE TABLE letter_parafs (
                    letter_id INTEGER NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 10),
                    official TEXT NOT NULL,
                    by TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (letter_id, position)
                ) STRICT;

                -- Upkeep visits planned per agency and year (at least two a year), each opened as a
                -- lan-upkeep ticket ahead of its date; the checklist's results per visit.
                CREATE TABLE upkeep_visits (
                    id INTEGER PRIMARY KEY,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                    idx INTEGER NOT NULL CHECK (idx BETWEEN 1 AND 12),
                    due TEXT NOT NULL,
                    opens_at TEXT NOT NULL,
                    ticket_id INTEGER UNIQUE REFERENCES tickets(id) ON DELETE RESTRICT,
                    technician TEXT,
                    done_at TEXT,
                    created_at TEXT NOT NULL,
                    UNIQUE (agency_id, year, idx)
                ) STRICT;
                CREATE INDEX upkeep_visits_due ON upkeep_visits(ticket_id, opens_at);
                CREATE TABLE upkeep_checks (
                    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE RESTRICT,
                    item TEXT NOT NULL,
                    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
                    note TEXT,
                    follow_up_ticket INTEGER REFERENCES tickets(id) ON DELETE RESTRICT,
                    at TEXT NOT NULL,
                    by TEXT NOT NULL,
                    PRIMARY KEY (ticket_id, item)
                ) STRICT;
                """)
        }
        migrator.registerMigration("v15-lan-follow-up-requests") { db in
            try db.execute(sql: """
                -- A failed upkeep checklist item can open an installation request at once: the office's own
                -- follow-up of the visit, which has no incoming letter or disposition. The table is rebuilt
                -- (SQLite cannot relax NOT NULL): the letter's fields may be empty only on a follow-up.
                CREATE TABLE lan_requests_v15 (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id) ON DELETE RESTRICT,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                    letter_number TEXT,
                    letter_date TEXT,
                    letter_signed_by TEXT,
                    disposition_from TEXT CHECK (disposition_from IN ('bupati', 'sekda')),
                    follow_up_of INTEGER REFERENCES tickets(id) ON DELETE RESTRICT,
                    building TEXT NOT NULL,
                    floor TEXT,
                    rooms TEXT,
                    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 2000),
                    wifi INTEGER NOT NULL CHECK (wifi IN (0, 1)),
                    switches INTEGER NOT NULL CHECK (switches BETWEEN 0 AND 200),
                    asked TEXT NOT NULL,
                    contact_name TEXT NOT NULL,
                    contact_phone TEXT,
                    inventory_rows INTEGER NOT NULL DEFAULT 0,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    CHECK (follow_up_of IS NOT NULL OR (letter_number IS NOT NULL AND letter_date IS NOT NULL
                                                        AND letter_signed_by IS NOT NULL AND disposition_from IS NOT NULL))
                ) STRICT;
                INSERT INTO lan_requests_v15 (id, ticket_id, agency_id, letter_number, letter_date, letter_signed_by, disposition_from,
                    building, floor, rooms, points, wifi, switches, asked, contact_name, contact_phone, inventory_rows, created_at, updated_at)
                SELECT id, ticket_id, agency_id, letter_number, letter_date, letter_signed_by, disposition_from,
                    building, floor, rooms, points, wifi, switches, asked, contact_name, contact_phone, inventory_rows, created_at, updated_at
                FROM lan_requests;
                DROP TABLE lan_requests;
                ALTER TABLE lan_requests_v15 RENAME TO lan_requests;
                CREATE INDEX lan_requests_agency ON lan_requests(agency_id);
                CREATE UNIQUE INDEX lan_requests_follow_up ON lan_requests(follow_up_of) WHERE follow_up_of IS NOT NULL;
                """)
        }
        migrator.registerMigration("v16-agency-area-networks-provider-tiers") { db in
            try db.execute(sql: """
                -- The area an agency's upkeep rounds group it by, and its address ranges (bandwidth surveys
                -- attribute captured traffic to agencies by longest prefix). One range belongs to one agency.
                ALTER TABLE agencies ADD COLUMN area TEXT;
                CREATE TABLE agency_networks (
                    prefix TEXT PRIMARY KEY,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 63)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX agency_networks_agency ON agency_networks(agency_id, position);
                -- The bandwidth products a provider sells (JSON: [{"mbps": 50, "monthlyPrice": 2500000}]).
                ALTER TABLE providers ADD COLUMN tiers TEXT NOT NULL DEFAULT '[]';
                """)
        }
        migrator.registerMigration("v17-bandwidth-surveys") { db in
            try db.execute(sql: """
                -- Bandwidth surveys (SOP 13 "Penyediaan Bandwidth Perangkat Daerah"): a ticket on the
                -- bandwidth-survey playbook, the period measured (office days, inclusive), and per agency the
                -- method and what the agency said it needs. The signed map and the specification are kept
                -- as issued (their HTML and PDF with hashes), so a reprint is the same document.
                CREATE TABLE surveys (
                    id INTEGER PRIMARY KEY,
                    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id) ON DELETE RESTRICT,
                    title TEXT NOT NULL,
                    period_from TEXT NOT NULL,
                    period_to TEXT NOT NULL,
                    responsible TEXT,
                    created_at TEXT NOT NULL,
                    CHECK (period_to >= period_from)
                ) STRICT;

                CREATE TABLE survey_agencies (
                    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
                    agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
                    method TEXT NOT NULL CHECK (method IN ('snmp', 'pcap', 'both')),
                    staff INTEGER CHECK (staff BETWEEN 0 AND 100000),
                    applications TEXT,
                    needed_mbps REAL CHECK (needed_mbps BETWEEN 0 AND 400000),
                    growth_percent REAL CHECK (growth_percent BETWEEN 0 AND 1000),
                    needs_note TEXT,
                    needs_at TEXT,
                    needs_by TEXT,
                    PRIMARY KEY (survey_id, agency_id)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE survey_documents (
                    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE RESTRICT,
                    kind TEXT NOT NULL CHECK (kind IN ('map', 'specification')),
                    html TEXT NOT NULL,
                    html_sha256 TEXT NOT NULL,
                    pdf BLOB,
                    pdf_sha256 TEXT,
                    figures TEXT NOT NULL,
                    signed_by TEXT NOT NULL,
                    signed_at TEXT NOT NULL,
                    PRIMARY KEY (survey_id, kind)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
