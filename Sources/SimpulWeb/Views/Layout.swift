import SimpulCore

/// The page around every template: the head, the bar with who is signed in, the language switch and
/// sign-out, the menu for their role, and the footer. Written with `HTML` (it wraps every page, so it
/// is kept out of Mustache's lookups); the templates render only what goes inside `<main>`.
struct Layout {
    struct User {
        var fullName: String
        var roleTitle: String
        var csrf: String
        /// Where the language switch comes back to.
        var back: String
        var menu: [(item: Navigation.Item, current: Bool)]
    }

    var title: String
    var language: Language
    var user: User?

    /// A rendered template inside the page.
    func render(main: String, _ words: Wording) -> String {
        render(words, size: main.utf8.count) { $0.raw(main) }
    }

    /// Content written with `HTML` inside the page.
    func render(main: HTML, _ words: Wording) -> String {
        render(words, size: main.count) { $0.append(main) }
    }

    private func render(_ words: Wording, size: Int, main: (inout HTML) -> Void) -> String {
        var html = HTML(capacity: size + 4096)
        html.markup("<!doctype html>\n<html lang=\"")
        html.text(language.rawValue)
        html.markup("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        html.text(title)
        html.markup(" · Simpul</title>\n<link rel=\"stylesheet\" href=\"/assets/simpul.css\">\n")
        html.markup("<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n<header class=\"top\">\n")
        // On a phone the menu, the language switch and sign-out fold away behind the menu button: a
        // checkbox and its label, so it opens and folds without a script (the CSP allows none). On a
        // wide screen they are always shown and the button is hidden.
        if user != nil {
            html.markup("<input type=\"checkbox\" id=\"menu-open\" class=\"menu-open\" aria-controls=\"menu\">\n")
        }
        html.markup("<div class=\"bar\">\n<a class=\"brand\" href=\"/\">Simpul</a>\n")
        if let user {
            html.markup("<span class=\"me\">")
            html.text(user.fullName)
            html.markup(" <small>")
            html.text(user.roleTitle)
            html.markup("</small></span>\n<label for=\"menu-open\" id=\"nav-toggle\" class=\"menu-button\"><span aria-hidden=\"true\">☰</span> ")
            html.text(words("nav_menu"))
            html.markup("</label>\n")
        }
        html.markup("</div>\n")
        if let user {
            html.markup("<div class=\"menu\" id=\"menu\">\n<nav aria-label=\"")
            html.text(words("nav_label"))
            html.markup("\">\n<ul>\n")
            for (item, current) in user.menu {
                html.markup("<li><a id=\"nav-")
                html.text(item.id)
                html.markup("\" href=\"")
                html.text(item.path)
                html.markup(current ? "\" aria-current=\"page\">" : "\">")
                html.text(words("nav_\(item.id)"))
                html.markup("</a></li>\n")
            }
            html.markup("</ul>\n</nav>\n<div class=\"who\">\n<form method=\"post\" action=\"/lang\" class=\"inline\">\n")
            html.markup("<input type=\"hidden\" name=\"_csrf\" value=\"")
            html.text(user.csrf)
            html.markup("\">\n<input type=\"hidden\" name=\"back\" value=\"")
            html.text(user.back)
            html.markup("\">\n<button type=\"submit\" id=\"lang-id\" name=\"to\" value=\"id\" class=\"")
            html.markup(language == .id ? "chip on" : "chip")
            html.markup("\" title=\"Bahasa Indonesia\">ID</button>\n")
            html.markup("<button type=\"submit\" id=\"lang-en\" name=\"to\" value=\"en\" class=\"")
            html.markup(language == .en ? "chip on" : "chip")
            html.markup("\" title=\"English\">EN</button>\n</form>\n<form method=\"post\" action=\"/logout\" class=\"inline\">\n")
            html.markup("<input type=\"hidden\" name=\"_csrf\" value=\"")
            html.text(user.csrf)
            html.markup("\">\n<button type=\"submit\" id=\"logout\" class=\"chip\">")
            html.text(words("logout"))
            html.markup("</button>\n</form>\n</div>\n</div>\n")
        }
        html.markup("</header>\n<main>\n")
        main(&html)
        html.markup("</main>\n<footer>Simpul · ")
        html.text(words("footer"))
        html.markup("</footer>\n</body>\n</html>\n")
        return html.string
    }
}
