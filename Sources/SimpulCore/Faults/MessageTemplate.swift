import Foundation

/// A message the office can edit (the escalation mail to a provider, the gateway's WhatsApp text):
/// its name, the placeholders it may use, and the text shipped with Simpul, used until the office
/// saves its own. Templates are Mustache (`{{circuit}}`); a template naming a placeholder that is
/// not in `placeholders` is refused when it is saved.
public struct MessageTemplate: Sendable, Hashable {
    public var name: String
    public var title: Text
    public var subject: String
    public var body: String
    /// Placeholder names and what each holds.
    public var placeholders: [(name: String, meaning: Text)]

    public static func == (a: MessageTemplate, b: MessageTemplate) -> Bool { a.name == b.name && a.subject == b.subject && a.body == b.body }
    public func hash(into hasher: inout Hasher) { hasher.combine(name); hasher.combine(subject); hasher.combine(body) }

    public var placeholderNames: Set<String> { Set(placeholders.map(\.name)) }

    /// Every template Simpul sends, as shipped.
    public static let all: [MessageTemplate] = [providerEscalationMail, providerEscalationWebhook, lanApproval, lanWorkOrder, lanCompletion]

    public static func named(_ name: String) -> MessageTemplate? { all.first { $0.name == name } }

    static let escalationPlaceholders: [(name: String, meaning: Text)] = [
        ("ticket", Text(id: "nomor tiket", en: "the ticket number")),
        ("level", Text(id: "tingkat eskalasi", en: "the escalation level")),
        ("provider", Text(id: "nama penyedia", en: "the provider's name")),
        ("contact_name", Text(id: "nama kontak penyedia pada tingkat ini", en: "the provider's contact at this level")),
        ("circuit", Text(id: "id sirkuit", en: "the circuit id")),
        ("bandwidth", Text(id: "kapasitas kontrak", en: "the contracted rate")),
        ("agency", Text(id: "nama perangkat daerah", en: "the agency's name")),
        ("site", Text(id: "alamat perangkat daerah", en: "the agency's address")),
        ("symptom", Text(id: "gejala", en: "the symptom")),
        ("description", Text(id: "uraian pelapor", en: "the reporter's description")),
        ("outage_started", Text(id: "waktu gangguan mulai (waktu kantor)", en: "when the outage started (office time)")),
        ("escalated_at", Text(id: "waktu eskalasi ini", en: "when this escalation was sent")),
        ("findings", Text(id: "temuan teknisi (catatan kerja)", en: "what the technician found (the work log)")),
        ("link_state", Text(id: "keadaan sambungan terukur, bila ada", en: "the link's measured state, when there is one")),
        ("response_minutes", Text(id: "waktu respons kontrak (menit)", en: "the contract's response time (minutes)")),
        ("restore_minutes", Text(id: "waktu pemulihan kontrak (menit)", en: "the contract's restore time (minutes)")),
        ("office", Text(id: "nama kantor", en: "the office's name")),
    ]

    public static let providerEscalationMail = MessageTemplate(
        name: "provider.escalation.mail",
        title: Text(id: "Surel eskalasi gangguan ke penyedia", en: "Fault escalation mail to the provider"),
        subject: "[Gangguan #{{ticket}}] {{circuit}} {{agency}} — eskalasi tingkat {{level}}",
        body: """
        Yth. {{contact_name}}
        {{provider}}

        Dengan hormat,

        Kami laporkan gangguan layanan pada sirkuit berikut dan mohon segera ditangani sesuai kontrak
        (respons {{response_minutes}} menit, pemulihan {{restore_minutes}} menit).

        Sirkuit        : {{circuit}} ({{bandwidth}})
        Perangkat daerah: {{agency}}
        Lokasi         : {{site}}
        Gejala         : {{symptom}}
        Mulai gangguan : {{outage_started}}
        Keadaan terukur: {{link_state}}

        Uraian pelapor:
        {{description}}

        Temuan teknisi kami:
        {{findings}}

        Mohon balas surel ini dengan nomor tiket Saudara. Eskalasi ini tingkat {{level}}, dikirim {{escalated_at}}.

        Hormat kami,
        {{office}}
        (tiket Simpul #{{ticket}})
        """,
        placeholders: escalationPlaceholders)

    public static let providerEscalationWebhook = MessageTemplate(
        name: "provider.escalation.webhook",
        title: Text(id: "Pesan gateway (WhatsApp/Telegram) eskalasi gangguan", en: "Gateway message (WhatsApp/Telegram) of a fault escalation"),
        subject: "",
        body: """
        {"to": "{{contact_whatsapp}}", "text": "Gangguan #{{ticket}} sirkuit {{circuit}} ({{agency}}), {{symptom}} sejak {{outage_started}}. Eskalasi tingkat {{level}} ke {{provider}}. Temuan: {{findings}}. Mohon balas dengan nomor tiket Anda. — {{office}}"}
        """,
        placeholders: escalationPlaceholders + [("contact_whatsapp", Text(id: "nomor WhatsApp kontak penyedia", en: "the provider contact's WhatsApp number"))])
}
