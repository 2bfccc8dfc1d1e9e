using System.Runtime.InteropServices;

namespace HwSim.Sim.Kernel;

/// <summary>
/// A 4-ary min-heap of scheduled events keyed by (time, order), where order packs the priority above a 48-bit
/// insertion sequence, so a key comparison is two integer compares.
/// </summary>
/// <remarks>
/// Written for the kernel's hot loop rather than using <see cref="PriorityQueue{TElement,TPriority}"/>: heap entries
/// hold no object references (handlers sit in a slot table and entries carry the slot index), so moving entries
/// during a sift costs no GC write barriers. On the component-chain benchmark this took the kernel from 118 to
/// 77 ns per event (bench/RESULTS.md).
/// </remarks>
internal sealed class EventQueue
{
    public const int MinPriority = -(1 << 15);
    public const int MaxPriority = (1 << 15) - 1;
    public const long MaxSequence = (1L << 48) - 1;

    private Entry[] heap = new Entry[256];
    private int count;
    private IEventHandler?[] handlers = new IEventHandler?[256];
    private int[] freeSlots = new int[256];
    private int freeCount;
    private int slotsUsed;

    public int Count => count;

    public static ulong Order(int priority, long sequence) =>
        ((ulong)(uint)(priority - MinPriority) << 48) | (ulong)sequence;

    public static int PriorityOf(ulong order) => (int)(order >> 48) + MinPriority;

    public static long SequenceOf(ulong order) => (long)(order & MaxSequence);

    public void Enqueue(long timePs, ulong order, IEventHandler handler, long argument)
    {
        if (count == heap.Length) Array.Resize(ref heap, heap.Length * 2);
        SiftUp(count++, new Entry(timePs, order, argument, TakeSlot(handler)));
    }

    public bool TryPeekTime(out long timePs)
    {
        timePs = count > 0 ? heap[0].TimePs : 0;
        return count > 0;
    }

    /// <summary>Removes the earliest event and returns it with its handler.</summary>
    public Entry Dequeue(out IEventHandler handler)
    {
        var top = heap[0];
        var last = heap[--count];
        if (count > 0) SiftDown(last);
        handler = handlers[top.Slot]!;
        handlers[top.Slot] = null;
        freeSlots[freeCount++] = top.Slot;
        return top;
    }

    /// <summary>Appends every queued entry to <paramref name="into"/> with its handler, in dequeue order.</summary>
    public void CopyOrdered(List<(Entry Entry, IEventHandler Handler)> into)
    {
        int start = into.Count;
        for (int i = 0; i < count; i++) into.Add((heap[i], handlers[heap[i].Slot]!));
        // A span sort with a cached delegate: List.Sort with a comparer object wraps it in a new delegate every call.
        CollectionsMarshal.AsSpan(into).Slice(start, count).Sort(ByOrder);
    }

    /// <summary>
    /// Replaces every entry's time and argument by <paramref name="map"/> of them (its order field stays), then
    /// restores the heap: entries keep their insertion sequence, so simultaneous ones keep their relative order.
    /// An entry may only move later.
    /// </summary>
    public void Remap(Func<long, long, (long TimePs, long Argument)> map)
    {
        for (int i = 0; i < count; i++)
        {
            var entry = heap[i];
            var (time, argument) = map(entry.TimePs, entry.Argument);
            if (time < entry.TimePs)
                throw new InvalidOperationException($"a pending event may only move later (from {entry.TimePs} ps to {time} ps)");
            heap[i] = entry with { TimePs = time, Argument = argument };
        }
        // Rebuild by inserting the entries again in index order: each prefix of the array stays a heap, and entry i
        // is read before its sift writes to slot i.
        for (int i = 0; i < count; i++) SiftUp(i, heap[i]);
    }

    private static readonly Comparison<(Entry Entry, IEventHandler Handler)> ByOrder = (a, b) =>
        Less(a.Entry, b.Entry) ? -1 : Less(b.Entry, a.Entry) ? 1 : 0;

    private int TakeSlot(IEventHandler handler)
    {
        int slot;
        if (freeCount > 0)
        {
            slot = freeSlots[--freeCount];
        }
        else
        {
            if (slotsUsed == handlers.Length)
            {
                Array.Resize(ref handlers, handlers.Length * 2);
                Array.Resize(ref freeSlots, freeSlots.Length * 2);
            }
            slot = slotsUsed++;
        }
        handlers[slot] = handler;
        return slot;
    }

    /// <summary>
    /// Bottom-up sift (Floyd): walk the hole down along the smallest children to a leaf, then move the displaced
    /// last entry up from there. The last entry is usually among the latest events, so it rarely moves up.
    /// </summary>
    private void SiftDown(Entry entry)
    {
        int index = 0;
        while (true)
        {
            int first = (index << 2) + 1;
            if (first >= count) break;
            int best = first;
            int end = Math.Min(first + 4, count);
            for (int child = first + 1; child < end; child++)
                if (Less(heap[child], heap[best])) best = child;
            heap[index] = heap[best];
            index = best;
        }
        SiftUp(index, entry);
    }

    /// <summary>Places <paramref name="entry"/> in the hole at <paramref name="index"/>, moving larger parents down.</summary>
    private void SiftUp(int index, Entry entry)
    {
        while (index > 0)
        {
            int parent = (index - 1) >> 2;
            if (!Less(entry, heap[parent])) break;
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = entry;
    }

    /// <summary>Whether key (timeA, orderA) runs before (or, with <paramref name="orEqual"/>, at) key (timeB, orderB).</summary>
    public static bool Precedes(long timeA, ulong orderA, long timeB, ulong orderB, bool orEqual = false) =>
        timeA < timeB || (timeA == timeB && (orderA < orderB || (orEqual && orderA == orderB)));

    private static bool Less(in Entry a, in Entry b) => Precedes(a.TimePs, a.Order, b.TimePs, b.Order);

    internal readonly record struct Entry(long TimePs, ulong Order, long Argument, int Slot);
}
