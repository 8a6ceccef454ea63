/// Sizes that text from outside — a YAML file, a form, a request, the command line — may have.
/// One place for all of them (numbers' ranges are in `Bounds`); a longer value is refused where it
/// is read, with a message that names the field and the limit. docs/inventory.md and
/// docs/playbooks.md list them for users.
public enum Limits {
    /// A name, in characters: a person, an agency, a provider, a room, a rack, a pool, a holiday, a
    /// device's vendor or model, a code or an id. Real ones are under 80.
    public static let name = 200
    /// A short free text, in characters: an address, a site, a pool's description, a note, a title
    /// or rule of a playbook (both languages), an SOP's title.
    public static let shortText = 2_000
    /// A long free text, in characters: a ticket's description, a comment, a step's note.
    public static let longText = 20_000
    /// A key in a YAML mapping (a field or a branch name), in characters.
    public static let yamlKey = 100
    /// One YAML file (inventory, playbook, calendar), in bytes: 5 MiB. The example district's
    /// largest file is under 20 KiB.
    public static let yamlFileBytes = 5 * 1024 * 1024
    /// How deep lists and mappings may nest in a YAML file. The deepest the files need is 5.
    public static let yamlDepth = 32
    /// Values (scalars, lists, mappings) that the aliases (`*name`) of one YAML file stand for,
    /// added up: aliases repeat a few blocks; they may not make a few lines stand for billions of
    /// values ("billion laughs"). Values written out are bounded by `yamlFileBytes` instead.
    public static let yamlAliasNodes = 100_000
    /// The letterhead's logo, in bytes: 256 KiB (a crest as SVG is a few KiB, as PNG tens).
    public static let logoBytes = 256 * 1024
    /// How many characters of what someone typed an error message quotes (`Excerpt.of`).
    public static let excerpt = 60
}
