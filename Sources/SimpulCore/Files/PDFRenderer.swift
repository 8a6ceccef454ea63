import Foundation

/// Prints a self-contained HTML page (A4, its own CSS, nothing fetched) to a PDF. The executable
/// wires headless Chromium (SimpulPDF); without one, letters are still pages, and asking for a PDF
/// says that the renderer is missing and how to install it.
public protocol PDFRenderer: Sendable {
    func pdf(html: String) async throws -> Data
}
