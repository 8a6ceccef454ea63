import Foundation

/// Reads `district.letters` from the inventory: the letterhead, the number's pattern, who signs and
/// who initials. Each problem is an inventory issue at its line, like every other field.
enum LetterSettingsReader {
    static let fields = ["heading", "address", "phone", "email", "website", "logo", "number", "start_at", "city", "signatory", "paraf"]
    static let officialFields = ["name", "position", "rank", "nip", "user"]

    static func read(_ r: FieldReader, office: String?) -> LetterSettings? {
        var heading: [String] = []
        if let node = r.node("heading") {
            if let line = node.string, node.scalar != nil {
                heading = [line]
            } else if let lines = node.sequence {
                heading = lines.compactMap { $0.string?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if heading.count != lines.count || heading.count > 4 || heading.contains(where: { $0.count > 120 }) {
                    r.fail("heading", Text(id: "kop surat: 1–4 baris teks, masing-masing paling panjang 120 karakter",
                                           en: "the letterhead: 1–4 lines of text, each at most 120 characters"))
                    heading = []
                }
            }
        }
        if heading.isEmpty, let office { heading = [office.uppercased()] }
        let address = r.string("address", required: true, max: 300, expected: Text(id: "alamat kantor pada kop surat", en: "the office's address on the letterhead"))
        let phone = r.phoneNumber("phone")
        let email = r.emailAddress("email")
        let website = r.string("website", max: 120)
        let logo = r.string("logo", max: 200)
        if let logo, logo.contains("/") || logo.hasPrefix(".") || !["png", "jpg", "jpeg", "svg"].contains((logo as NSString).pathExtension.lowercased()) {
            r.fail("logo", Text(id: "logo \"\(Excerpt.of(logo))\": nama berkas PNG, JPEG atau SVG di samping berkas YAML ini (tanpa folder)",
                                en: "logo \"\(Excerpt.of(logo))\": the name of a PNG, JPEG or SVG file beside this YAML file (no folder)"))
        }
        let number = r.string("number", max: 120) ?? LetterSettings.defaultNumber
        do {
            _ = try LetterNumberScheme.parse(number)
            if number.contains("{code}") {
                r.fail("number", Text(id: "{code} belum dipakai surat LAN; tulis kode klasifikasinya langsung di pola, mis. 800/DKISP/{seq}/{month_roman}/{year}",
                                      en: "{code} is not used by LAN letters yet; write the classification code into the pattern, e.g. 800/DKISP/{seq}/{month_roman}/{year}"))
            }
        } catch {
            r.fail("number", Text(id: "pola nomor surat salah: \(error.text.id)", en: "the letter number pattern is wrong: \(error.text.en)"))
        }
        let startAt = r.int("start_at", range: 1...999_999, expected: Text(id: "nomor urut pertama tiap tahun", en: "the first sequence number of each year")) ?? 1
        let city = r.string("city", required: true, max: 80, expected: Text(id: "kota tempat surat ditandatangani", en: "the town letters are dated in"))
        let signatory = r.nested("signatory", allowed: officialFields).flatMap(official)
        if r.node("signatory") == nil {
            r.missing("signatory", Text(id: "pejabat penanda tangan (name, position, rank, nip, user)", en: "the signing official (name, position, rank, nip, user)"))
        }
        var paraf: [Official] = []
        for (i, node) in r.sequence("paraf").enumerated() {
            if let reader = FieldReader(node, file: r.file, path: r.fieldPath("paraf") + "[\(i)]", log: r.log, allowed: officialFields),
               let one = official(reader) {
                paraf.append(one)
            }
        }
        guard let address, let city, let signatory else { return nil }
        return LetterSettings(heading: heading, address: address, phone: phone, email: email, website: website, logo: logo, number: number,
                              startAt: startAt, city: city, signatory: signatory, paraf: paraf)
    }

    static func official(_ r: FieldReader) -> Official? {
        let name = r.string("name", required: true, max: 120, expected: Text(id: "nama pejabat", en: "the official's name"))
        let position = r.string("position", required: true, max: 160, expected: Text(id: "jabatan", en: "the position"))
        let rank = r.string("rank", max: 80)
        let nip = r.string("nip", max: 40)
        if let nip, nip.filter(\.isNumber).count != 18 || !nip.allSatisfy({ $0.isNumber || $0 == " " }) {
            r.fail("nip", Text(id: "NIP \"\(Excerpt.of(nip))\" harus 18 angka (boleh dipisah spasi)", en: "NIP \"\(Excerpt.of(nip))\" must be 18 digits (spaces allowed)"))
        }
        let user = r.string("user", max: 64)
        guard let name, let position else { return nil }
        return Official(name: name, position: position, rank: rank, nip: nip, user: user?.lowercased())
    }
}
