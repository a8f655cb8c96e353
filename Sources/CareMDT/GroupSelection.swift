import CareCore
import HeapModule

/// The best `limit` people of one group, kept in a heap whose minimum is the worst of them:
/// memory is the list's size, never the input's.
struct GroupSelection {
    /// Heap order: `a < b` when a ranks after (is worse than) b.
    struct Item: Comparable {
        var entry: ListEntry
        let order: RankOrder
        static func < (a: Item, b: Item) -> Bool { b.entry.rank.ranksBefore(a.entry.rank, keys: a.order.keys) }
        static func == (a: Item, b: Item) -> Bool { a.entry.id == b.entry.id }
    }

    var heap = Heap<Item>()
    var limit: Int

    /// Whether someone with `rank` would be kept now.
    func admits(_ rank: RankValues, order: RankOrder) -> Bool {
        guard limit > 0 else { return false }
        guard heap.count >= limit, let worst = heap.min else { return true }
        return rank.ranksBefore(worst.entry.rank, keys: order.keys)
    }

    /// Adds an entry; returns the one pushed out, if any.
    mutating func insert(_ entry: ListEntry, order: RankOrder) -> ListEntry? {
        heap.insert(Item(entry: entry, order: order))
        return heap.count > limit ? heap.removeMin().entry : nil
    }

    /// The kept entries, best first.
    func ranked(order: RankOrder) -> [ListEntry] {
        heap.unordered.map(\.entry).sorted { $0.rank.ranksBefore($1.rank, keys: order.keys) }
    }
}

/// The ranking keys, shared by every heap item.
final class RankOrder: Sendable {
    let keys: [RankKey]
    init(_ keys: [RankKey]) { self.keys = keys }
}
