import SimpulCore
import SimpulServices

/// A rack drawn as a column of units, top row first so that U1 sits at the bottom.
struct RackElevation {
    struct Row: Equatable {
        var unit: Int
        /// The device whose top unit this is, drawn across `span` rows.
        var device: EstateService.RackedDevice?
        var span: Int = 1
        /// Taken by a device drawn in a row above.
        var covered = false
    }

    let rows: [Row]

    init(heightU: Int, devices: [EstateService.RackedDevice]) {
        var taken = [Int: Int]()  // unit -> index of the device in it
        for (index, device) in devices.enumerated() {
            for unit in device.position..<(device.position + max(1, device.heightU)) where taken[unit] == nil && (1...max(1, heightU)).contains(unit) {
                taken[unit] = index
            }
        }
        var rows: [Row] = []
        for unit in stride(from: heightU, through: 1, by: -1) {
            guard let index = taken[unit] else {
                rows.append(Row(unit: unit))
                continue
            }
            if taken[unit + 1] == index && unit < heightU {
                rows.append(Row(unit: unit, covered: true))
            } else {
                var span = 1
                while unit - span >= 1, taken[unit - span] == index { span += 1 }
                rows.append(Row(unit: unit, device: devices[index], span: span))
            }
        }
        self.rows = rows
    }
}

extension EstateViews {
    static func rack(_ item: EstateService.RackView, _ language: Language) -> View {
        let rack = item.rack
        let elevation = RackElevation(heightU: rack.heightU, devices: item.devices)
        func feed(_ name: String, _ budget: Int?) -> View {
            view(["name": name, "load": Format(language).number(item.powerPerFeedWatts),
                  "budget": budget.map { Format(language).number($0) }, "loadValue": item.powerPerFeedWatts,
                  "budgetValue": budget, "over": budget.map { item.powerPerFeedWatts > $0 } ?? false])
        }
        return view([
            "code": rack.code, "name": rack.name, "room": item.roomName, "heightU": rack.heightU,
            "usedU": item.usedU, "freeU": max(0, rack.heightU - item.usedU),
            "feeds": [feed("A", rack.feedAWatts), feed("B", rack.feedBWatts)],
            "rows": elevation.rows.map { row in
                view(["unit": row.unit, "covered": row.covered, "empty": row.device == nil && !row.covered,
                      "device": row.device.map { device in
                          view(["name": device.name, "kind": device.kind.rawValue, "owner": device.agency,
                                "span": row.span, "power": device.powerWatts.map(Format(language).watts)])
                      }])
            },
        ])
    }
}
