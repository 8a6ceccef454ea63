import Foundation

/// The DevTools commands of one letter: a new page, its requests refused, the HTML put in,
/// layout, fonts and images waited for, printed to an A4 PDF, and the page closed again.
extension ChromiumProcess {
    /// Waits until Chromium answers on its pipe (it is ready for pages).
    func ready(deadline: ContinuousClock.Instant, limit: Duration) async throws(PDFRenderError) {
        _ = try await pipe.call("Browser.getVersion", deadline: deadline, limit: limit)
    }

    /// The PDF of `html`, on a page of its own (several may be printed at once).
    func render(html: String, deadline: ContinuousClock.Instant, limit: Duration) async throws(PDFRenderError) -> Data {
        let created = try await pipe.call("Target.createTarget", ["url": "about:blank"], deadline: deadline, limit: limit)
        guard let targetID = created["targetId"]?.string else {
            throw .protocolError("Target.createTarget", "the answer has no targetId")
        }
        do {
            return try await printPage(html: html, target: targetID, deadline: deadline, limit: limit)
        } catch {
            // The page goes whether or not the letter printed; after a timeout nobody waits for the answer.
            pipe.notify("Target.closeTarget", ["targetId": .string(targetID)], session: nil)
            throw error
        }
    }

    private func printPage(html: String, target targetID: String, deadline: ContinuousClock.Instant, limit: Duration) async throws(PDFRenderError) -> Data {
        let attached = try await pipe.call("Target.attachToTarget", ["targetId": .string(targetID), "flatten": true],
                                           deadline: deadline, limit: limit)
        guard let session = attached["sessionId"]?.string else {
            throw .protocolError("Target.attachToTarget", "the answer has no sessionId")
        }
        func call(_ method: String, _ params: JSON = [:]) async throws(PDFRenderError) -> JSON {
            try await pipe.call(method, params, session: session, deadline: deadline, limit: limit)
        }
        // Every request the page makes now stops at Fetch.requestPaused, refused unless data:.
        _ = try await call("Fetch.enable", ["patterns": [["urlPattern": "*"]]])
        let tree = try await call("Page.getFrameTree")
        guard let frameID = tree["frameTree"]?["frame"]?["id"]?.string else {
            throw .protocolError("Page.getFrameTree", "the answer has no frame id")
        }
        _ = try await call("Page.setDocumentContent", ["frameId": .string(frameID), "html": .string(html)])
        let settled = try await call("Runtime.evaluate", [
            "expression": .string(Self.settle),
            "awaitPromise": true,
            "returnByValue": true,
        ])
        if let exception = settled["exceptionDetails"] {
            throw .protocolError("Runtime.evaluate", exception["text"]?.string ?? "the page's script failed")
        }
        let printed = try await call("Page.printToPDF", [
            // A4 in inches; the letter's own @page rule sets its margins.
            "paperWidth": 8.27, "paperHeight": 11.69,
            "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0,
            "printBackground": true, "preferCSSPageSize": true, "displayHeaderFooter": false,
        ])
        guard let encoded = printed["data"]?.string, let pdf = Data(base64Encoded: encoded) else {
            throw .protocolError("Page.printToPDF", "the answer has no base64 data")
        }
        _ = try await pipe.call("Target.closeTarget", ["targetId": .string(targetID)], deadline: deadline, limit: limit)
        return pdf
    }

    /// Resolves once the document has loaded, its fonts are ready and every image has loaded or
    /// failed (a refused one fails at once), so the PDF has the page as it is meant to look.
    static let settle = """
        (async () => {
          if (document.readyState !== 'complete') {
            await new Promise(resolve => window.addEventListener('load', resolve, { once: true }));
          }
          await document.fonts.ready;
          await Promise.all(Array.from(document.images, image => image.complete ? null
            : new Promise(resolve => { image.addEventListener('load', resolve); image.addEventListener('error', resolve); })));
          return true;
        })()
        """
}
