import SimpulCore

/// The ticket list page's content — filters, range, table, pager — written with `HTML` rather than
/// Mustache: it is the page that is opened most and has the most repeated parts (25 rows and
/// a hundred or so filter options).
struct TicketListView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct OptionGroup {
        var label: String
        var options: [Option]
    }

    var title: String
    var canOpen: Bool
    var filtered: Bool
    var scopes: [Option]
    var playbooks: [Option]
    var agencies: [Option]
    var steps: [OptionGroup]
    var assignees: [Option]
    var lateness: [Option]
    var priorities: [Option]
    var range: String?
    var table: HTML
    var previous: String?
    var next: String?

    func render(_ words: Wording) -> HTML {
        let all = words("tickets_all")
        var html = HTML(capacity: 16 * 1024)
        html.markup("<h1>")
        html.text(title)
        html.markup("</h1>\n")
        if canOpen {
            html.markup("<p><a class=\"button\" id=\"new-ticket\" href=\"/tickets/new\">")
            html.text(words("tickets_new"))
            html.markup("</a></p>\n")
        }
        html.markup(filtered ? "<details class=\"filters\" open>\n<summary>" : "<details class=\"filters\">\n<summary>")
        html.text(words("tickets_filter"))
        html.markup("</summary>\n<form method=\"get\" action=\"/tickets\" class=\"filters\" id=\"ticket-filter\">\n")
        Self.select(&html, id: "f-scope", name: "scope", label: words("tickets_scope"), all: nil, scopes)
        Self.select(&html, id: "f-playbook", name: "playbook", label: words("col_playbook"), all: all, playbooks)
        Self.select(&html, id: "f-agency", name: "agency", label: words("col_agency"), all: all, agencies)
        html.markup("<label for=\"f-step\">")
        html.text(words("col_step"))
        html.markup("\n<select id=\"f-step\" name=\"step\">")
        html.option(value: "", label: all, selected: false)
        for group in steps {
            html.markup("<optgroup label=\"")
            html.text(group.label)
            html.markup("\">")
            for option in group.options { html.option(value: option.value, label: option.label, selected: option.selected) }
            html.markup("</optgroup>")
        }
        html.markup("</select></label>\n")
        Self.select(&html, id: "f-assignee", name: "assignee", label: words("col_assignee"), all: all, assignees)
        Self.select(&html, id: "f-lateness", name: "lateness", label: words("tickets_lateness"), all: all, lateness)
        Self.select(&html, id: "f-priority", name: "priority", label: words("col_priority"), all: all, priorities)
        html.markup("<p class=\"actions\"><button type=\"submit\" id=\"filter-submit\">")
        html.text(words("tickets_filter_submit"))
        html.markup("</button> <a href=\"/tickets\">")
        html.text(words("tickets_filter_reset"))
        html.markup("</a></p>\n</form>\n</details>\n")
        if let range {
            html.markup("<p class=\"muted\" id=\"ticket-range\">")
            html.text(range)
            html.markup("</p>\n")
        }
        html.append(table)
        html.markup("<p class=\"pager\">")
        if let previous {
            html.markup("<a href=\"")
            html.text(previous)
            html.markup("\" rel=\"prev\" id=\"page-previous\">← ")
            html.text(words("pager_previous"))
            html.markup("</a>")
        }
        html.markup(" ")
        if let next {
            html.markup("<a href=\"")
            html.text(next)
            html.markup("\" rel=\"next\" id=\"page-next\">")
            html.text(words("pager_next"))
            html.markup(" →</a>")
        }
        html.markup("</p>\n")
        return html
    }

    /// A labelled select, with an empty "all" option first when `all` is given.
    private static func select(_ html: inout HTML, id: StaticString, name: StaticString, label: String, all: String?,
                               _ options: [Option]) {
        html.markup("<label for=\"")
        html.markup(id)
        html.markup("\">")
        html.text(label)
        html.markup("\n<select id=\"")
        html.markup(id)
        html.markup("\" name=\"")
        html.markup(name)
        html.markup("\">")
        if let all { html.option(value: "", label: all, selected: false) }
        for option in options { html.option(value: option.value, label: option.label, selected: option.selected) }
        html.markup("</select></label>\n")
    }
}
