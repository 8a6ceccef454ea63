import Foundation
import Yams

/// One playbook file's name and text; reading the disk is the caller's job.
public typealias PlaybookDocument = InventoryDocument

/// Reads playbook YAML (docs/playbooks.md) and checks it: fields, ids, durations, actors,
/// reachability, branches, cycles without an exit, escalations. Every problem comes back with
/// its file, line and field, and what to do.
public enum PlaybookReader {
    static let topFields = ["id", "version", "title", "source", "merged_from", "calendar", "recurrence",
                            "rules", "steps", "escalations"]
    static let stepFields = ["id", "source_step", "source_ref", "origin", "title", "actor", "standard", "calendar",
                             "needs", "produces", "clock", "evidence", "next", "branches", "done_by", "checklist"]

    /// Reads every document; playbooks with an issue are left out of the result.
    public static func read(_ documents: [PlaybookDocument]) -> ([Playbook], [InventoryIssue]) {
        var playbooks: [Playbook] = []
        var issues: [InventoryIssue] = []
        var seen: [String: String] = [:]
        for document in documents {
            let (playbook, found) = read(document)
            issues += found
            guard let playbook else { continue }
            if let other = seen[playbook.id] {
                issues.append(InventoryIssue(location: SourceLocation(file: document.file, line: 1), field: "id",
                                             text: Text(id: "playbook \"\(Excerpt.of(playbook.id))\" sudah ada di \(other); setiap id hanya sekali",
                                                        en: "playbook \"\(Excerpt.of(playbook.id))\" is already defined in \(other); each id once")))
                continue
            }
            seen[playbook.id] = document.file
            playbooks.append(playbook)
        }
        return (playbooks, issues)
    }

    /// Reads one file. Returns nil with the issues when anything is wrong.
    public static func read(_ document: PlaybookDocument) -> (Playbook?, [InventoryIssue]) {
        let log = IssueLog()
        let file = document.file
        let root: Node
        switch YAMLDocument.compose(document.text, file: file, log: log) {
        case .root(let node): root = node
        case .failed: return (nil, log.all)
        case .empty:
            log.add(SourceLocation(file: file, line: 1), "id", Text(id: "berkas kosong; tulis sebuah playbook (lihat docs/playbooks.md)",
                                                                  en: "the file is empty; write a playbook (see docs/playbooks.md)"))
            return (nil, log.all)
        }
        guard let top = FieldReader(root, file: file, path: "", log: log, allowed: topFields) else { return (nil, log.all) }
        let playbook = readPlaybook(top, file: file, log: log)
        return (log.count == 0 ? playbook : nil, log.all)
    }

    static func isPlaybookID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 48 && text.first!.isLetter &&
            text.allSatisfy { ($0.isASCII && $0.isLowercase) || $0.isNumber || $0 == "-" }
    }

    static func isStepID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 48 && text.first!.isLetter &&
            text.allSatisfy { ($0.isASCII && $0.isLowercase) || $0.isNumber || $0 == "_" }
    }

    static func readPlaybook(_ top: FieldReader, file: String, log: IssueLog) -> Playbook? {
        let id = top.string("id", required: true, expected: Text(id: "id playbook, mis. fault-dispatch", en: "the playbook id, e.g. fault-dispatch"))
        if let id {
            if !isPlaybookID(id) {
                top.fail("id", Text(id: "\"\(Excerpt.of(id))\" bukan id playbook: huruf kecil, angka dan -, diawali huruf (mis. fault-dispatch)",
                                    en: "\"\(Excerpt.of(id))\" is not a playbook id: lowercase letters, digits and -, starting with a letter (e.g. fault-dispatch)"))
            } else {
                let base = (file as NSString).lastPathComponent
                if base.hasSuffix(".yaml") || base.hasSuffix(".yml"), (base as NSString).deletingPathExtension != id {
                    top.fail("id", Text(id: "berkas untuk playbook \"\(Excerpt.of(id))\" harus bernama \(id).yaml; ganti nama berkas atau id",
                                        en: "the file for playbook \"\(Excerpt.of(id))\" must be named \(id).yaml; rename the file or change the id"))
                }
            }
        }
        let version = top.int("version", required: true, range: Bounds.playbookVersion, expected: Text(id: "nomor versi", en: "a version number"))
        let title = text(top, "title", required: true)
        let source = sopSource(top.nested("source", allowed: ["sop", "title", "document", "date"]), required: true, top: top)
        var merged: [MergedSource] = []
        let beforeMerged = log.count
        for (i, node) in top.sequence("merged_from").enumerated() {
            guard let r = FieldReader(node, file: file, path: "merged_from[\(i)]", log: log,
                                      allowed: ["ref", "sop", "title", "document", "date"]) else { continue }
            let ref = r.string("ref", required: true, expected: Text(id: "nama rujukan, mis. sop-14", en: "a reference name, e.g. sop-14"))
            if let ref, !isPlaybookID(ref) {
                r.fail("ref", Text(id: "\"\(Excerpt.of(ref))\" harus huruf kecil, angka dan - (mis. sop-14)", en: "\"\(Excerpt.of(ref))\" must be lowercase letters, digits and - (e.g. sop-14)"))
            }
            if let ref, let source = sopSource(r, required: true, top: nil) {
                if merged.contains(where: { $0.ref == ref }) {
                    r.fail("ref", Text(id: "rujukan \"\(Excerpt.of(ref))\" sudah dipakai", en: "reference \"\(Excerpt.of(ref))\" is already used"))
                }
                merged.append(MergedSource(ref: ref, source: source))
            }
        }
        // A reference to a merged SOP is only called unknown when every merged_from entry read
        // cleanly: otherwise it may name the broken one, which has its own error.
        let mergedComplete = log.count == beforeMerged
        let calendar = top.choice("calendar", CalendarKind.self, required: true)
        var recurrence: Recurrence?
        if let r = top.nested("recurrence", allowed: ["per", "every", "open_before", "per_year", "minimum_gap_months"]) {
            let per = r.string("per", required: true, expected: Text(id: "agency", en: "agency"))
            if let per, per != "agency" {
                r.fail("per", Text(id: "hanya \"agency\" yang didukung", en: "only \"agency\" is supported"))
            }
            let every = duration(r, "every", required: true)
            let before = duration(r, "open_before", required: true)
            let perYear = r.int("per_year", range: 1...12, expected: Text(id: "kunjungan per tahun kalender", en: "visits per calendar year"))
            let gap = r.int("minimum_gap_months", range: 0...12, expected: Text(id: "jarak terpendek antar kunjungan, dalam bulan", en: "the least months between visits"))
            if let per, let every, let before {
                recurrence = Recurrence(per: per, every: every, openBefore: before, perYear: perYear, minimumGapMonths: gap)
            }
        }
        var rules: [Text] = []
        for (i, node) in top.sequence("rules").enumerated() {
            if let t = textNode(node, file: file, path: "rules[\(i)]", log: log) { rules.append(t) }
        }

        // Steps.
        var steps: [Step] = []
        var stepReaders: [String: FieldReader] = [:]
        let stepNodes = top.sequence("steps")
        if stepNodes.isEmpty && top.node("steps") == nil {
            top.missing("steps", Text(id: "daftar langkah, paling sedikit satu", en: "a list of steps, at least one"))
        }
        var branchOwners: [String: String] = [:]
        var brokenSteps: Set<String> = []
        for (i, node) in stepNodes.enumerated() {
            guard let r = FieldReader(node, file: file, path: "steps[\(i)]", log: log, allowed: stepFields) else { continue }
            let before = log.count
            let step = readStep(r, merged: merged, mergedComplete: mergedComplete, branchOwners: &branchOwners)
            if let step, stepReaders[step.id] != nil {
                r.fail("id", Text(id: "langkah \"\(Excerpt.of(step.id))\" sudah ada; id langkah harus unik", en: "step \"\(Excerpt.of(step.id))\" already exists; step ids must be unique"))
            }
            if let step, log.count == before {
                stepReaders[step.id] = r
                steps.append(step)
            } else {
                brokenSteps.insert(node["id"]?.string ?? "?")
            }
        }
        // References to steps and branches — the graph, the escalations — are checked once every
        // step reads cleanly. Before that an "unknown step" may be one that is there with an error
        // of its own, and saying so again would be a false second error.
        let stepsComplete = brokenSteps.isEmpty && (top.node("steps") == nil || top.node("steps")?.sequence != nil)
        if stepsComplete { checkGraph(steps, readers: stepReaders) }

        // Escalations.
        var escalations: [EscalationRule] = []
        let stepsByID = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, node) in top.sequence("escalations").enumerated() {
            guard let r = FieldReader(node, file: file, path: "escalations[\(i)]", log: log,
                                      allowed: ["when", "notify", "escalate_to", "raise_priority"]) else { continue }
            if let rule = readEscalation(r, steps: stepsByID, branches: Set(branchOwners.keys), complete: stepsComplete) { escalations.append(rule) }
        }

        guard let id, let version, let title, let source, let calendar, !steps.isEmpty else { return nil }
        return Playbook(id: id, version: version, title: title, source: source, mergedFrom: merged, calendar: calendar,
                        recurrence: recurrence, rules: rules, steps: steps, escalations: escalations)
    }

    static func readStep(_ r: FieldReader, merged: [MergedSource], mergedComplete: Bool, branchOwners: inout [String: String]) -> Step? {
        let id = r.string("id", required: true, expected: Text(id: "id langkah, mis. report_result", en: "a step id, e.g. report_result"))
        if let id, !isStepID(id) {
            r.fail("id", Text(id: "\"\(Excerpt.of(id))\" bukan id langkah: huruf kecil, angka dan _, diawali huruf (mis. report_result)",
                              en: "\"\(Excerpt.of(id))\" is not a step id: lowercase letters, digits and _, starting with a letter (e.g. report_result)"))
        }
        let sourceStep = r.int("source_step", range: 1...999, expected: Text(id: "nomor baris tabel SOP", en: "the SOP table's row number"))
        let sourceRef = r.string("source_ref")
        let origin = r.string("origin")
        if let origin, origin != "practice" {
            r.fail("origin", Text(id: "\"\(Excerpt.of(origin))\" tidak dikenal; tulis origin: practice untuk praktik kantor", en: "\"\(Excerpt.of(origin))\" is not known; write origin: practice for the office's own practice"))
        }
        if r.node("source_step") != nil && origin != nil {
            r.fail("origin", Text(id: "tulis source_step atau origin: practice, bukan keduanya", en: "give source_step or origin: practice, not both"))
        } else if r.node("source_step") == nil && r.node("origin") == nil {
            r.missing("source_step", Text(id: "nomor baris tabel SOP (source_step), atau origin: practice", en: "the SOP table's row number (source_step), or origin: practice"))
        }
        if let sourceRef {
            if !merged.contains(where: { $0.ref == sourceRef }) && mergedComplete {
                let known = merged.map(\.ref).joined(separator: ", ")
                r.fail("source_ref", Text(id: "\"\(Excerpt.of(sourceRef))\" bukan rujukan di merged_from\(known.isEmpty ? "" : " (yang ada: \(known))")",
                                          en: "\"\(Excerpt.of(sourceRef))\" is not a merged_from reference\(known.isEmpty ? "" : " (known: \(known))")"))
            }
            if r.node("source_step") == nil {
                r.fail("source_ref", Text(id: "source_ref perlu source_step", en: "source_ref needs source_step"))
            }
        }
        let title = text(r, "title", required: true)
        let actor = r.choice("actor", StepActor.self, required: true)
        let standard = duration(r, "standard", required: false)
        let calendar = r.choice("calendar", CalendarKind.self)
        let needs = text(r, "needs", required: false)
        let produces = text(r, "produces", required: false)
        let clock = r.choice("clock", ClockOwner.self, required: true)
        let doneBy = r.string("done_by")
        if let doneBy, !isModuleAction(doneBy) {
            r.fail("done_by", Text(id: "\"\(Excerpt.of(doneBy))\" bukan tindakan modul: modul.tindakan, huruf kecil (mis. hosting.allocate)",
                                   en: "\"\(Excerpt.of(doneBy))\" is not a module action: module.action in lowercase (e.g. hosting.allocate)"))
        }
        var evidence: [EvidenceKind] = []
        if r.node("evidence") == nil && !r.mapping.contains(where: { $0.key.string == "evidence" }) {
            r.missing("evidence", Text(id: "daftar bukti, boleh kosong: [] atau [note, photo]", en: "a list of evidence, may be empty: [] or [note, photo]"))
        }
        let allowedEvidence = EvidenceKind.allCases.map(\.rawValue).joined(separator: ", ")
        for node in r.sequence("evidence") {
            guard let raw = node.string, let kind = EvidenceKind(rawValue: raw) else {
                r.fail("evidence", Text(id: "\"\(Excerpt.of(node.string ?? "?"))\" bukan jenis bukti; pilih dari: \(allowedEvidence)",
                                        en: "\"\(Excerpt.of(node.string ?? "?"))\" is not an evidence kind; use: \(allowedEvidence)"))
                continue
            }
            if evidence.contains(kind) {
                r.fail("evidence", Text(id: "\"\(Excerpt.of(raw))\" ditulis dua kali", en: "\"\(Excerpt.of(raw))\" is listed twice"))
            } else {
                evidence.append(kind)
            }
        }
        var exit: StepExit?
        let next = r.string("next")
        let branchReader = r.nested("branches", allowed: r.node("branches")?.mapping.map { $0.keys.compactMap(\.string) } ?? [])
        if next != nil && branchReader != nil {
            r.fail("branches", Text(id: "langkah punya next dan branches; pilih salah satu", en: "the step has both next and branches; keep one"))
            exit = .next(StepTarget(next!))
        } else if let next {
            if next != "done" && !isStepID(next) {
                r.fail("next", Text(id: "\"\(Excerpt.of(next))\" bukan id langkah atau done", en: "\"\(Excerpt.of(next))\" is not a step id or done"))
            } else {
                exit = .next(StepTarget(next))
            }
        } else if let branchReader {
            var branches: [Branch] = []
            for (key, value) in branchReader.mapping {
                let name = key.string ?? ""
                guard isStepID(name) else {
                    branchReader.fail(name, Text(id: "nama cabang \"\(Excerpt.of(name))\" harus huruf kecil, angka dan _", en: "branch name \"\(Excerpt.of(name))\" must be lowercase letters, digits and _"))
                    continue
                }
                // `name: target`, or `name: {next: target, title: {id: …, en: …}}` with the outcome's title.
                var branchTitle: Text?
                var targetText = value.string
                if value.mapping != nil {
                    guard let detail = FieldReader(value, file: branchReader.file, path: branchReader.fieldPath(name), log: branchReader.log,
                                                   allowed: ["next", "title"]) else { continue }
                    targetText = detail.string("next", required: true, expected: Text(id: "id langkah atau done", en: "a step id or done"))
                    branchTitle = text(detail, "title", required: true)
                    if targetText == nil || branchTitle == nil { continue }
                }
                guard let target = targetText, target == "done" || isStepID(target) else {
                    branchReader.fail(name, Text(id: "cabang \"\(Excerpt.of(name))\" harus menuju id langkah atau done", en: "branch \"\(Excerpt.of(name))\" must lead to a step id or done"))
                    continue
                }
                if let owner = branchOwners[name] {
                    branchReader.fail(name, Text(id: "nama cabang \"\(Excerpt.of(name))\" sudah dipakai di langkah \(owner); nama cabang unik dalam satu berkas",
                                                 en: "branch name \"\(Excerpt.of(name))\" is already used in step \(owner); branch names are unique in a file"))
                    continue
                }
                branchOwners[name] = id ?? "?"
                branches.append(Branch(name: name, target: StepTarget(target), title: branchTitle))
            }
            if branches.count < 2 && branchReader.mapping.count < 2 {
                r.fail("branches", Text(id: "cabang perlu paling sedikit dua hasil; untuk satu jalan tulis next", en: "branches need at least two outcomes; for one way on write next"))
            }
            exit = .branches(branches)
        } else {
            r.missing("next", Text(id: "next (langkah berikutnya atau done) atau branches", en: "next (the next step or done) or branches"))
        }
        var checklist: [ChecklistItem] = []
        for (i, node) in r.sequence("checklist").enumerated() {
            guard let item = FieldReader(node, file: r.file, path: r.fieldPath("checklist") + "[\(i)]", log: r.log, allowed: ["id", "title"]) else { continue }
            let itemID = item.string("id", required: true, expected: Text(id: "id butir, mis. rack_tidy", en: "an item id, e.g. rack_tidy"))
            let itemTitle = text(item, "title", required: true)
            guard let itemID, let itemTitle else { continue }
            if !isStepID(itemID) {
                item.fail("id", Text(id: "\"\(Excerpt.of(itemID))\" bukan id butir: huruf kecil, angka dan _", en: "\"\(Excerpt.of(itemID))\" is not an item id: lowercase letters, digits and _"))
            } else if checklist.contains(where: { $0.id == itemID }) {
                item.fail("id", Text(id: "butir \"\(itemID)\" ditulis dua kali", en: "item \"\(itemID)\" is listed twice"))
            } else if checklist.count >= 50 {
                item.fail("id", Text(id: "paling banyak 50 butir per langkah", en: "at most 50 items per step"))
            } else {
                checklist.append(ChecklistItem(id: itemID, title: itemTitle))
            }
        }
        guard let id, isStepID(id), let title, let actor, let clock, let exit else { return nil }
        return Step(id: id, sourceStep: sourceStep, sourceRef: sourceRef, title: title, actor: actor, standard: standard,
                    calendar: calendar, needs: needs, produces: produces, clock: clock, evidence: evidence, exit: exit,
                    doneBy: doneBy.flatMap { isModuleAction($0) ? $0 : nil }, checklist: checklist)
    }

    /// `module.action`: two lowercase identifiers joined by a dot.
    static func isModuleAction(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLowercase else { return false }
            return part.count <= 40 && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
        }
    }

    /// Targets exist; every step is reachable from the first; every reachable step can reach `done`.
    static func checkGraph(_ steps: [Step], readers: [String: FieldReader]) {
        let ids = Set(steps.map(\.id))
        let before = readers.values.first?.log.count ?? 0
        for step in steps {
            guard let r = readers[step.id] else { continue }
            for target in step.exit.targets {
                if case .step(let id) = target, !ids.contains(id) {
                    let field: String
                    if case .branches(let list) = step.exit, let branch = list.first(where: { $0.target == target }) {
                        field = "branches.\(branch.name)"
                    } else {
                        field = "next"
                    }
                    r.log.add(r.location(step.exit.branches.isEmpty ? "next" : "branches"), r.fieldPath(field),
                              Text(id: "langkah \"\(Excerpt.of(id))\" tidak ada di berkas ini; tulis id langkah yang ada atau done",
                                   en: "step \"\(Excerpt.of(id))\" is not in this file; name an existing step or done"))
                }
            }
        }
        guard let first = steps.first, (readers.values.first?.log.count ?? 0) == before else { return }
        let byID = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var reachable: Set<String> = [first.id]
        var queue = [first.id]
        while let id = queue.popLast() {
            for case .step(let next) in byID[id]?.exit.targets ?? [] where byID[next] != nil && !reachable.contains(next) {
                reachable.insert(next)
                queue.append(next)
            }
        }
        for step in steps where !reachable.contains(step.id) {
            readers[step.id]?.fail("id", Text(id: "langkah \"\(Excerpt.of(step.id))\" tidak dapat dicapai dari langkah pertama (\(first.id)); arahkan next atau cabang ke sini, atau hapus",
                                              en: "step \"\(Excerpt.of(step.id))\" cannot be reached from the first step (\(first.id)); point a next or branch at it, or remove it"))
        }
        // Which steps can finish: fixed point over "some target is done or a finishing step".
        var finishes: Set<String> = []
        var changed = true
        while changed {
            changed = false
            for step in steps where !finishes.contains(step.id) {
                let ok = step.exit.targets.contains { target in
                    switch target {
                    case .done: true
                    case .step(let id): finishes.contains(id)
                    }
                }
                if ok { finishes.insert(step.id); changed = true }
            }
        }
        // One error per playbook: the first step (in file order) from which done cannot be reached.
        for step in steps where reachable.contains(step.id) && !finishes.contains(step.id) {
            readers[step.id]?.fail(step.exit.branches.isEmpty ? "next" : "branches",
                                   Text(id: "dari langkah \"\(Excerpt.of(step.id))\" tidak ada jalan ke done (putaran tanpa jalan keluar); arahkan satu next atau cabang ke done atau ke langkah yang selesai",
                                        en: "there is no way from step \"\(Excerpt.of(step.id))\" to done (a cycle without an exit); point a next or branch at done or at a step that finishes"))
            break
        }
    }

    /// One escalation rule. `complete` says every step read cleanly, so that a step or branch not
    /// found is truly not in the file.
    static func readEscalation(_ r: FieldReader, steps: [String: Step], branches: Set<String>, complete: Bool) -> EscalationRule? {
        var trigger: EscalationRule.Trigger?
        if let when = r.nested("when", allowed: ["step", "elapsed", "branch"]) {
            let stepID = when.string("step")
            let elapsed = when.string("elapsed")
            let branch = when.string("branch")
            if let branch {
                if stepID != nil || elapsed != nil {
                    when.fail("branch", Text(id: "when berisi step+elapsed atau branch, bukan keduanya", en: "when has step+elapsed or branch, not both"))
                } else if !branches.contains(branch) {
                    if complete {
                        let known = branches.sorted().joined(separator: ", ")
                        when.fail("branch", Text(id: "cabang \"\(Excerpt.of(branch))\" tidak ada di berkas ini\(known.isEmpty ? "" : " (yang ada: \(known))")",
                                                 en: "branch \"\(Excerpt.of(branch))\" is not used in this file\(known.isEmpty ? "" : " (known: \(known))")"))
                    }
                } else {
                    trigger = .branch(branch)
                }
            } else if let stepID {
                let percent = elapsed.flatMap { text -> Int? in
                    guard text.hasSuffix("%"), let n = Int(text.dropLast()), (1...10_000).contains(n) else { return nil }
                    return n
                }
                if elapsed == nil {
                    when.missing("elapsed", Text(id: "persentase waktu standar, mis. 100%", en: "a share of the standard time, e.g. 100%"))
                } else if percent == nil {
                    when.fail("elapsed", Text(id: "\"\(Excerpt.of(elapsed!))\" bukan persentase; tulis bilangan bulat dengan %, mis. 150%", en: "\"\(Excerpt.of(elapsed!))\" is not a percentage; write a whole number with %, e.g. 150%"))
                }
                if let step = steps[stepID] {
                    if step.standard == nil {
                        when.fail("step", Text(id: "langkah \"\(Excerpt.of(stepID))\" tidak punya standard, jadi tidak bisa terlambat; beri standard atau hapus aturan ini",
                                               en: "step \"\(Excerpt.of(stepID))\" has no standard, so it cannot run late; give it a standard or remove this rule"))
                    } else if let percent {
                        trigger = .elapsed(step: stepID, percent: percent)
                    }
                } else if complete {
                    when.fail("step", Text(id: "langkah \"\(Excerpt.of(stepID))\" tidak ada di berkas ini", en: "step \"\(Excerpt.of(stepID))\" is not in this file"))
                }
            } else {
                when.missing("step", Text(id: "step dengan elapsed, atau branch", en: "step with elapsed, or branch"))
            }
        } else {
            r.missing("when", Text(id: "kapan aturan berlaku: {step: X, elapsed: 100%} atau {branch: Y}", en: "when the rule applies: {step: X, elapsed: 100%} or {branch: Y}"))
        }
        let notify = r.choice("notify", StepActor.self)
        let escalateTo = r.choice("escalate_to", StepActor.self)
        var raise = false
        if let node = r.node("raise_priority") {
            if let value = node.bool { raise = value } else {
                r.fail("raise_priority", Text(id: "harus true atau false", en: "must be true or false"))
            }
        }
        if notify == nil && escalateTo == nil && !raise && r.node("notify") == nil && r.node("escalate_to") == nil {
            r.missing("notify", Text(id: "paling sedikit satu tindakan: notify, escalate_to atau raise_priority: true",
                                     en: "at least one action: notify, escalate_to or raise_priority: true"))
        }
        guard let trigger else { return nil }
        return EscalationRule(trigger: trigger, notify: notify, escalateTo: escalateTo, raisePriority: raise)
    }

    static func duration(_ r: FieldReader, _ field: String, required: Bool) -> StandardTime? {
        guard let raw = r.string(field, required: required, expected: Text(id: "durasi seperti 60m, 3h, 2d, 1w atau 30wd", en: "a duration such as 60m, 3h, 2d, 1w or 30wd")) else { return nil }
        switch StandardTime.parse(raw) {
        case .success(let value):
            return value
        case .failure(.zero):
            r.fail(field, Text(id: "\"\(Excerpt.of(raw))\": durasi harus di atas nol, mis. 5m atau 1wd",
                               en: "\"\(Excerpt.of(raw))\": a duration must be above zero, e.g. 5m or 1wd"))
        case .failure(.tooLong(let maximum)):
            r.fail(field, Text(id: "\"\(Excerpt.of(raw))\" terlalu lama: paling lama setahun, dalam satuan ini \(maximum)",
                               en: "\"\(Excerpt.of(raw))\" is too long: at most a year, \(maximum) in this unit"))
        case .failure(.notDuration):
            r.fail(field, Text(id: "\"\(Excerpt.of(raw))\" bukan durasi; tulis bilangan bulat dan satuan: m (menit), h (jam), d (hari), w (minggu), wd (hari kerja), mis. 60m atau 30wd",
                               en: "\"\(Excerpt.of(raw))\" is not a duration; write a whole number and a unit: m, h, d, w or wd (working days), e.g. 60m or 30wd"))
        }
        return nil
    }

    static func text(_ r: FieldReader, _ field: String, required: Bool) -> Text? {
        guard let node = r.node(field) else {
            if required { r.missing(field, Text(id: "teks dwibahasa {id: \"…\", en: \"…\"}", en: "bilingual text {id: \"…\", en: \"…\"}")) }
            return nil
        }
        return textNode(node, file: r.file, path: r.fieldPath(field), log: r.log)
    }

    static func textNode(_ node: Node, file: String, path: String, log: IssueLog) -> Text? {
        guard let t = FieldReader(node, file: file, path: path, log: log, allowed: ["id", "en"]) else { return nil }
        let id = t.string("id", required: true, max: Limits.shortText, expected: Text(id: "teks bahasa Indonesia", en: "the Indonesian text"))
        let en = t.string("en", required: true, max: Limits.shortText, expected: Text(id: "teks bahasa Inggris", en: "the English text"))
        guard let id, let en else { return nil }
        return Text(id: id, en: en)
    }

    static func sopSource(_ r: FieldReader?, required: Bool, top: FieldReader?) -> SOPSource? {
        guard let r else {
            if required, let top { top.missing("source", Text(id: "SOP sumber: sop, title, document, date", en: "the source SOP: sop, title, document, date")) }
            return nil
        }
        let sop = r.string("sop", required: true, expected: Text(id: "nomor SOP seperti tercetak", en: "the SOP's number as printed"))
        let title = r.string("title", required: true, max: Limits.shortText, expected: Text(id: "nama SOP", en: "the SOP's name"))
        let date = r.string("date")
        if let date, !isISODate(date) {
            r.fail("date", Text(id: "\"\(Excerpt.of(date))\" bukan tanggal; tulis YYYY-MM-DD dalam tanda kutip", en: "\"\(Excerpt.of(date))\" is not a date; write YYYY-MM-DD in quotes"))
        }
        guard let sop, let title else { return nil }
        return SOPSource(sop: sop, title: title, document: r.string("document", max: Limits.shortText), date: date)
    }

    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let m = Int(parts[1]), let d = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(m) && (1...31).contains(d)
    }
}
