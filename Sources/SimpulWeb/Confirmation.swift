import Hummingbird
import SimpulCore

/// A form that destroys something — removing a live DNS record, releasing an address, disabling a
/// user — is first answered with a page that says what will happen and asks again; only the second
/// post, carrying `confirm=yes`, acts. Plain HTML forms: it works without JavaScript.
struct Confirmation {
    let renderer: Renderer

    /// Whether `form` has been confirmed on the confirmation page.
    static func confirmed(_ form: FormData) -> Bool { form.text("confirm") == "yes" }

    /// The page that asks: `question` and what follows from it, a button that posts the same
    /// fields again to `action` with `confirm=yes`, and a way back to `cancel`.
    func ask(_ request: Request, _ context: WebContext, question: String, consequences: [String], action: String,
             confirmLabel: String, cancel: String) -> Response {
        let fields = context.form.allFields
            .filter { $0.name != "_csrf" && $0.name != "confirm" }
            .map { ["name": $0.name, "value": $0.value] }
        return renderer.page("confirm", title: renderer.text("confirm_title", context), [
            "question": question,
            "consequences": consequences,
            "hasConsequences": !consequences.isEmpty,
            "fields": fields,
            "action": action,
            "confirmLabel": confirmLabel,
            "cancel": LocalPath.safe(cancel),
        ], request: request, context: context)
    }
}
