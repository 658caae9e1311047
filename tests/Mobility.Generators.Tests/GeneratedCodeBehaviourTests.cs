using System.Buffers;
using System.Reflection;
using System.Runtime.Loader;
using MemoryPack;
using Mobility.Generated;

namespace Mobility.Generators.Tests;

/// <summary>The generated code, compiled and loaded, does what the runtime relies on.</summary>
public sealed class GeneratedCodeBehaviourTests
{
    private const string Source = """
        using Mobility;

        namespace Demo;

        public interface INamed
        {
            string Name { get; set; }
        }

        [MobileProcess]
        public partial class Bag : INamed
        {
            private int _count;
            private readonly List<string> _items = new();
            public string Label { get; set; } = "";
            public int Version { get; init; }
            public Guid Id { get; } = Guid.NewGuid();
            string INamed.Name { get; set; } = "";
            [Transient] public int Scratch { get; set; }

            [Call] public int Add(string item, int times)
            {
                for (var i = 0; i < times; i++) _items.Add(item);
                _count += times;
                return _count;
            }

            [Cast] public async Task Relabel(string label) { await Task.Yield(); Label = label; }

            public string Describe() => $"{_count}|{string.Join(",", _items)}|{Label}|{Version}|{Id}|{((INamed)this).Name}";

            public static Bag Sample()
            {
                var bag = new Bag { Label = "label", Version = 7, Scratch = 5 };
                ((INamed)bag).Name = "name";
                bag.Add("a", 2);
                return bag;
            }
        }
        """;

    [Fact]
    public void State_written_by_one_instance_is_read_back_into_another_except_transient_members()
    {
        var type = LoadBag();
        var original = type.GetMethod("Sample")!.Invoke(null, null)!;
        var copy = Activator.CreateInstance(type)!;

        var state = Write((ref MemoryPackWriter<ArrayBufferWriter<byte>> writer) => ((IMobileProcess)original).WriteState(ref writer));
        var reader = new MemoryPackReader(state, MemoryPackReaderOptionalStatePool.Rent(null));
        ((IMobileProcess)copy).ReadState(ref reader);

        Assert.Equal(0, reader.Remaining);
        Assert.Equal(Describe(original), Describe(copy));
        Assert.Contains("2|a,a|label|7|", Describe(copy), StringComparison.Ordinal);
        Assert.Equal(0, type.GetProperty("Scratch")!.GetValue(copy));
    }

    [Fact]
    public async Task Message_decoded_by_ReadMessage_runs_its_handler_with_its_arguments()
    {
        var type = LoadBag();
        var bag = Activator.CreateInstance(type)!;
        var arguments = Write((ref MemoryPackWriter<ArrayBufferWriter<byte>> writer) =>
        {
            writer.WriteValue("x");
            writer.WriteValue(3);
        });

        var message = ReadMessage(type, HandlerId("Add(string,int)"), arguments);
        await ((IMobileProcess)bag).DispatchAsync(message, reply: null);

        Assert.Equal("Add", message.HandlerName);
        Assert.Equal(arguments, Write((ref MemoryPackWriter<ArrayBufferWriter<byte>> writer) => message.WriteArguments(ref writer)));
        Assert.StartsWith("3|x,x,x|", Describe(bag), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Awaited_cast_completes_before_dispatch_does()
    {
        var type = LoadBag();
        var bag = Activator.CreateInstance(type)!;

        var message = ReadMessage(type, HandlerId("Relabel(string)"), Write((ref MemoryPackWriter<ArrayBufferWriter<byte>> writer) => writer.WriteValue("renamed")));
        await ((IMobileProcess)bag).DispatchAsync(message, reply: null);

        Assert.Equal("renamed", type.GetProperty("Label")!.GetValue(bag));
    }

    [Fact]
    public void Unknown_handler_id_is_rejected_with_the_type_id()
    {
        var type = LoadBag();

        var exception = Assert.Throws<TargetInvocationException>(() => ReadMessage(type, 12345, []));

        var invalid = Assert.IsType<InvalidDataException>(exception.InnerException);
        Assert.Contains("'Demo.Bag'", invalid.Message, StringComparison.Ordinal);
    }

    private static Type LoadBag()
    {
        var run = GeneratorHarness.Run(Source);
        using var peStream = new MemoryStream();
        var result = run.Output.Emit(peStream, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        peStream.Position = 0;

        // Dependencies (the runtime, MemoryPack) resolve to the ones this test already loaded.
        var context = new AssemblyLoadContext(nameof(GeneratedCodeBehaviourTests), isCollectible: true);
        return context.LoadFromStream(peStream).GetType("Demo.Bag", throwOnError: true)!;
    }

    private static string Describe(object bag) => (string)bag.GetType().GetMethod("Describe")!.Invoke(bag, null)!;

    private delegate void WriteAction(ref MemoryPackWriter<ArrayBufferWriter<byte>> writer);

    private static byte[] Write(WriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var state = MemoryPackWriterOptionalStatePool.Rent(null);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static ProcessMessage ReadMessage(Type type, int handlerId, byte[] bytes) =>
        (ProcessMessage)typeof(GeneratedCodeBehaviourTests)
            .GetMethod(nameof(ReadMessageOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, [handlerId, bytes])!;

    private static ProcessMessage ReadMessageOf<T>(int handlerId, byte[] bytes)
        where T : class, IMobileProcess<T>
    {
        var reader = new MemoryPackReader(bytes, MemoryPackReaderOptionalStatePool.Rent(null));
        return T.ReadMessage(handlerId, ref reader);
    }

    private static int HandlerId(string signature)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(signature))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash & 0x7FFFFFFF) is 0 ? 1 : (int)(hash & 0x7FFFFFFF);
    }
}
