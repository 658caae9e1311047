using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>MOB0011–MOB0015: what a process keeps as state must be encodable and must be able to move.</summary>
public sealed class StateTests
{
    private static Task VerifyAsync(string source) => Verifier.AnalyzerAsync<ProcessStateAnalyzer>(source);

    [Fact]
    public Task MOB0011_state_that_MemoryPack_cannot_encode() => VerifyAsync("""
        using Microsoft.Extensions.Logging;
        using Mobility;
        public class Plain { public int X; }
        public interface IShape { }
        [MobileProcess] public partial class Counter
        {
            private object {|MOB0011:_anything|} = new();
            private Plain {|MOB0011:_plain|} = new();
            private readonly ILogger<Counter> {|MOB0011:_log|};
            private Action? {|MOB0011:_callback|};
            private Dictionary<string, Plain> {|MOB0011:_byName|} = new();
            private dynamic {|MOB0011:_dynamic|} = 1;
            public IShape? {|MOB0011:Shape|} { get; set; }
            public Counter(ILogger<Counter> log) => _log = log;
        }
        """);

    [Fact]
    public Task MOB0011_not_for_encodable_state() => VerifyAsync("""
        using System.Collections.Immutable;
        using System.Numerics;
        using MemoryPack;
        using Microsoft.Extensions.Logging;
        using Mobility;
        [MemoryPackable] public partial record Item(string Name, int Quantity);
        public struct Point { public int X; public int Y; }
        public enum Color { Red, Green }
        [MobileProcess] public partial class Counter
        {
            private int _count;
            private string _name = "";
            private decimal _total;
            private Guid _id;
            private DateTime _at;
            private DateTimeOffset? _changed;
            private TimeSpan _elapsed;
            private BigInteger _big;
            private Color _color;
            private Point _point;
            private (int, string) _pair;
            private Item? _item;
            private int[] _numbers = [];
            private List<string> _history = new();
            private Dictionary<string, List<Item>> _byName = new();
            private HashSet<Guid> _seen = new();
            private Queue<int> _queue = new();
            private ImmutableArray<Color> _colors;
            private IReadOnlyList<Item> _list = [];
            private KeyValuePair<string, int> _pairValue;
            private ProcessRef<Counter>? _peer;
            private Uri? _home;
            public string Label { get; set; } = "";
            public int Version { get; init; }
            public string Computed => _name + _count;
            [Transient] private readonly ILogger<Counter> _log;
            [Transient] public object? Cache { get; set; }
            private static object Shared = new();
            private const int Limit = 10;
            public Counter(ILogger<Counter> log) => _log = log;
        }
        """);

    [Fact]
    public Task MOB0012_unknown_collection_type() => VerifyAsync("""
        using Mobility;
        public class Bag<T> : IEnumerable<T>
        {
            public IEnumerator<T> GetEnumerator() => Enumerable.Empty<T>().GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
        [MobileProcess] public partial class Counter { private Bag<int> {|MOB0012:_bag|} = new(); }
        """);

    [Fact]
    public Task MOB0012_not_for_known_collections_or_transient_ones() => VerifyAsync("""
        using Mobility;
        public class Bag<T> : List<T> { }
        [MobileProcess] public partial class Counter
        {
            private SortedDictionary<string, LinkedList<int>> _sorted = new();
            private Stack<int> _stack = new();
            [Transient] private Bag<int> _bag = new();
        }
        """);

    [Fact]
    public Task MOB0013_resources_in_state() => VerifyAsync("""
        using System.Net.Sockets;
        using Mobility;
        public sealed class Connection : IDisposable { public void Dispose() { } }
        [MobileProcess] public partial class Counter
        {
            private Socket? {|MOB0013:_socket|};
            private Stream {|MOB0013:_file|} = Stream.Null;
            private MemoryStream {|MOB0013:_buffer|} = new();
            private Thread? {|MOB0013:_worker|};
            private Task {|MOB0013:_pending|} = Task.CompletedTask;
            private ValueTask<int> {|MOB0013:_next|};
            private CancellationTokenSource {|MOB0013:_cts|} = new();
            private System.Threading.Timer? {|MOB0013:_timer|};
            private System.Timers.Timer? {|MOB0013:_elapsed|};
            private HttpClient {|MOB0013:_http|} = new();
            private Connection {|MOB0013:_connection|} = new();
            private List<Task> {|MOB0013:_tasks|} = new();
        }
        """);

    [Fact]
    public Task MOB0013_not_for_transient_resources() => VerifyAsync("""
        using System.Net.Sockets;
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Transient] private Socket? _socket;
            [Transient] private readonly HttpClient _http = new();
            [Transient] private CancellationTokenSource _cts = new();
            [Transient] public Task Pending { get; set; } = Task.CompletedTask;
            private string _path = "/tmp/data";
        }
        """);

    [Fact]
    public Task MOB0014_disposable_but_encodable_state() => VerifyAsync("""
        using MemoryPack;
        using Mobility;
        [MemoryPackable] public partial class Session : IDisposable { public string Id { get; set; } = ""; public void Dispose() { } }
        [MobileProcess] public partial class Counter { private Session {|MOB0014:_session|} = new(); }
        """);

    [Fact]
    public Task MOB0014_not_for_encodable_state_that_is_not_disposable() => VerifyAsync("""
        using MemoryPack;
        using Mobility;
        [MemoryPackable] public partial class Session { public string Id { get; set; } = ""; }
        [MobileProcess] public partial class Counter { private Session _session = new(); [Transient] private IDisposable? _subscription; }
        """);

    [Fact]
    public Task MOB0015_field_like_event() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { public event EventHandler? {|MOB0015:Changed|}; [Call] public void M() => Changed?.Invoke(this, EventArgs.Empty); }
        """);

    [Fact]
    public Task MOB0015_not_for_events_with_accessors() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { public event EventHandler? Changed { add { } remove { } } }
        """);
}
