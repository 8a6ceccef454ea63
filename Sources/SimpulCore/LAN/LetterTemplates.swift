import Foundation

/// The office's LAN letters as templates it can edit (issue 15): the approval letter (Surat
/// Persetujuan), the work order (Surat Perintah Tugas) and the completion report (Berita Acara).
/// Each template is the letter's subject (perihal) and its body; the letterhead, the number, the
/// date, the paraf chain and the signature block are laid around it by the letter page. Unknown
/// placeholders are refused when a template is saved (`TemplateService.check`).
extension MessageTemplate {
    static let letterPlaceholders: [(name: String, meaning: Text)] = [
        ("office", Text(id: "nama kantor", en: "the office's name")),
        ("district", Text(id: "nama kabupaten/kota", en: "the district's name")),
        ("ticket", Text(id: "nomor tiket", en: "the ticket number")),
        ("agency", Text(id: "nama perangkat daerah pemohon", en: "the requesting agency's name")),
        ("agency_address", Text(id: "alamat perangkat daerah", en: "the agency's address")),
        ("request_letter_number", Text(id: "nomor surat permohonan", en: "the request letter's number")),
        ("request_letter_date", Text(id: "tanggal surat permohonan", en: "the request letter's date")),
        ("request_signed_by", Text(id: "penanda tangan surat permohonan", en: "who signed the request letter")),
        ("disposition", Text(id: "disposisi dari (Bupati atau Sekretaris Daerah)", en: "the disposition's author (the Regent or the Regional Secretary)")),
        ("location", Text(id: "lokasi pekerjaan (gedung, lantai, ruang)", en: "where the work is (building, floor, rooms)")),
        ("asked", Text(id: "yang diminta", en: "what is asked")),
        ("points", Text(id: "jumlah titik jaringan yang diminta", en: "network points asked for")),
        ("wifi", Text(id: "Wi-Fi diminta (ya/tidak)", en: "Wi-Fi asked for (ya/tidak)")),
        ("switches", Text(id: "switch baru yang diminta", en: "new switches asked for")),
        ("contact", Text(id: "kontak di perangkat daerah", en: "the agency's contact")),
        ("technicians", Text(id: "teknisi yang ditugaskan", en: "the technicians assigned")),
        ("date", Text(id: "tanggal surat (waktu kantor)", en: "the letter's date (office time)")),
        ("city", Text(id: "kota tempat surat ditandatangani", en: "the town the letter is signed in")),
        ("signatory_name", Text(id: "nama penanda tangan", en: "the signing official's name")),
        ("signatory_position", Text(id: "jabatan penanda tangan", en: "the signing official's position")),
        ("points_installed", Text(id: "titik terpasang (laporan kerja)", en: "points installed (work log)")),
        ("points_passed", Text(id: "titik lulus uji", en: "points that passed the test")),
        ("cable_metres", Text(id: "kabel terpakai, meter", en: "cable used, metres")),
        ("connectors", Text(id: "konektor terpakai", en: "connectors used")),
        ("switches_installed", Text(id: "switch terpasang", en: "switches installed")),
        ("access_points", Text(id: "access point terpasang", en: "access points installed")),
        ("results", Text(id: "hasil uji", en: "the test results")),
        ("work_dates", Text(id: "tanggal pekerjaan", en: "when the work was done")),
    ]

    public static let lanApproval = MessageTemplate(
        name: "lan.letter.approval",
        title: Text(id: "Surat Persetujuan pemasangan jaringan LAN", en: "Approval letter for a LAN installation"),
        subject: "Persetujuan Permohonan Pemasangan Jaringan LAN",
        body: """
        Yth. Kepala {{agency}}
        di {{agency_address}}

        Menindaklanjuti surat Saudara nomor {{request_letter_number}} tanggal {{request_letter_date}} perihal permohonan pemasangan jaringan LAN, yang telah mendapat disposisi {{disposition}}, dengan ini kami sampaikan bahwa permohonan tersebut DISETUJUI.

        Pemasangan jaringan LAN akan dilaksanakan oleh teknisi {{office}} di {{location}}, meliputi: {{asked}} (titik jaringan: {{points}}; Wi-Fi: {{wifi}}; switch baru: {{switches}}).

        Mohon Saudara menunjuk petugas pendamping ({{contact}}) dan menyiapkan akses ke lokasi selama pekerjaan berlangsung. Perangkat yang terpasang akan dicatat dalam Buku Kendali Inventaris Jaringan.

        Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.
        """,
        placeholders: letterPlaceholders)

    public static let lanWorkOrder = MessageTemplate(
        name: "lan.letter.work_order",
        title: Text(id: "Surat Perintah Tugas pemasangan jaringan LAN", en: "Work order for a LAN installation"),
        subject: "Surat Perintah Tugas Pemasangan Jaringan LAN",
        body: """
        Dasar: surat {{agency}} nomor {{request_letter_number}} tanggal {{request_letter_date}} dan disposisi {{disposition}}.

        MEMERINTAHKAN

        Kepada: {{technicians}}

        Untuk: melaksanakan pemasangan jaringan LAN di {{agency}}, {{location}}, meliputi {{asked}} (titik jaringan: {{points}}; Wi-Fi: {{wifi}}; switch baru: {{switches}}); menguji setiap titik yang terpasang; mencatat hasilnya dalam Buku Kendali Inventaris Jaringan; dan melaporkan hasil pekerjaan kepada Kepala Seksi Infrastruktur Jaringan.

        Kontak di lokasi: {{contact}}. Tiket Simpul #{{ticket}}.

        Demikian surat perintah tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab.
        """,
        placeholders: letterPlaceholders)

    public static let lanCompletion = MessageTemplate(
        name: "lan.letter.completion",
        title: Text(id: "Berita Acara penyelesaian pemasangan jaringan LAN", en: "Completion report of a LAN installation"),
        subject: "Berita Acara Penyelesaian Pemasangan Jaringan LAN",
        body: """
        Pada tanggal {{date}}, bertempat di {{agency}}, {{location}}, telah diselesaikan pemasangan jaringan LAN berdasarkan surat permohonan nomor {{request_letter_number}} tanggal {{request_letter_date}}, dengan hasil sebagai berikut:

        Titik jaringan terpasang: {{points_installed}}, lulus uji: {{points_passed}}
        Kabel terpakai: {{cable_metres}} meter; konektor: {{connectors}}
        Switch terpasang: {{switches_installed}}; access point terpasang: {{access_points}}
        Hasil uji: {{results}}
        Dikerjakan: {{work_dates}} oleh {{technicians}}

        Perangkat yang terpasang telah dicatat dalam Buku Kendali Inventaris Jaringan {{office}}. Jaringan diserahkan dalam keadaan berfungsi baik kepada {{contact}}.

        Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.
        """,
        placeholders: letterPlaceholders)
}
