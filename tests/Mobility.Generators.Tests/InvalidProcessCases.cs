namespace Mobility.Tests.Shared;

/// <summary>
/// Every kind of class the generator must skip (it emits nothing for them; the analyzers explain why).
/// One list, compiled into the generator tests and the analyzer tests, so a new case is checked by both.
/// </summary>
internal static class InvalidProcessCases
{
    public static TheoryData<string, string> All => new()
    {
        { "class not partial", "[MobileProcess] public class Bad { }" },
        { "containing type not partial", "public class Outer { [MobileProcess] public partial class Bad { } }" },
        { "one declaration of the class not partial", "[MobileProcess] public partial class Bad { } public class Bad { }" },
        { "generic class", "[MobileProcess] public partial class Bad<T> { }" },
        { "generic containing type", "public partial class Outer<T> { [MobileProcess] public partial class Bad { } }" },
        { "abstract class", "[MobileProcess] public abstract partial class Bad { }" },
        { "static class", "[MobileProcess] public static partial class Bad { }" },
        { "record", "[MobileProcess] public partial record Bad { }" },
        { "private nested class", "public partial class Outer { [MobileProcess] private partial class Bad { } }" },
        { "protected nested class", "public partial class Outer { [MobileProcess] protected partial class Bad { } }" },
        { "private protected nested class", "public partial class Outer { [MobileProcess] private protected partial class Bad { } }" },
        { "file-local class", "[MobileProcess] file partial class Bad { }" },
        { "base class other than object", "public class Base { } [MobileProcess] public partial class Bad : Base { }" },
        { "IMobileProcess implemented by hand", "[MobileProcess] public abstract partial class Bad : Mobility.Generated.IMobileProcess { }" },
        { "member name reserved for generated code", "[MobileProcess] public partial class Bad { private int __mobilityContext; public int Get() => __mobilityContext++; }" },
        { "method both call and cast", "[MobileProcess] public partial class Bad { [Call, Cast] public void M() { } }" },
        { "static handler", "[MobileProcess] public partial class Bad { [Call] public static int M() => 0; }" },
        { "generic handler", "[MobileProcess] public partial class Bad { [Call] public T M<T>(T value) => value; }" },
        { "ref parameter", "[MobileProcess] public partial class Bad { [Call] public void M(ref int value) { } }" },
        { "out parameter", "[MobileProcess] public partial class Bad { [Call] public void M(out int value) => value = 0; }" },
        { "in parameter", "[MobileProcess] public partial class Bad { [Call] public void M(in int value) { } }" },
        { "params parameter", "[MobileProcess] public partial class Bad { [Call] public void M(params int[] values) { } }" },
        { "pointer parameter", "[MobileProcess] public unsafe partial class Bad { [Call] public void M(int* value) { } }" },
        { "function pointer parameter", "[MobileProcess] public unsafe partial class Bad { [Call] public void M(delegate*<void> value) { } }" },
        { "ref struct parameter", "[MobileProcess] public partial class Bad { [Call] public void M(Span<int> value) { } }" },
        { "dynamic parameter", "[MobileProcess] public partial class Bad { [Call] public void M(dynamic value) { } }" },
        { "parameter of a private nested type", "[MobileProcess] public partial class Bad { private sealed class Secret { } [Call] private void M(Secret value) { } }" },
        { "parameter of an unknown type", "[MobileProcess] public partial class Bad { [Call] public void M(Missing value) { } }" },
        { "ref return", "[MobileProcess] public partial class Bad { private int _x; [Call] public ref int M() => ref _x; }" },
        { "ref struct return", "[MobileProcess] public partial class Bad { [Call] public Span<int> M() => default; }" },
        { "cast returning a value", "[MobileProcess] public partial class Bad { [Cast] public int M() => 0; }" },
        { "cast returning Task<T>", "[MobileProcess] public partial class Bad { [Cast] public Task<int> M() => Task.FromResult(0); }" },
        { "cast taking a CancellationToken", "[MobileProcess] public partial class Bad { [Cast] public void M(CancellationToken token) { } }" },
        { "CancellationToken not last", "[MobileProcess] public partial class Bad { [Call] public void M(CancellationToken token, int value) { } }" },
        { "overloaded calls", "[MobileProcess] public partial class Bad { [Call] public void M(int value) { } [Call] public void M(string value) { } }" },
        { "call and cast of one name", "[MobileProcess] public partial class Bad { [Call] public void M(int value) { } [Cast] public void M(string value) { } }" },
        { "calls M and MAsync", "[MobileProcess] public partial class Bad { [Call] public void M() { } [Call] public Task MAsync() => Task.CompletedTask; }" },
        { "handler id collision", "[MobileProcess] public partial class Bad { [Cast] public void H65974() { } [Cast] public void H142600() { } }" },
        { "handler on a property accessor", "[MobileProcess] public partial class Bad { public int P { [Call] get; set; } }" },
        { "field-like event", "[MobileProcess] public partial class Bad { public event EventHandler? Changed; [Call] public void M() => Changed?.Invoke(this, EventArgs.Empty); }" },
        { "state field of pointer type", "[MobileProcess] public unsafe partial class Bad { private int* _p; [Call] public int M() => *_p; }" },
        { "state field of dynamic type", "[MobileProcess] public partial class Bad { private dynamic _d = 1; [Call] public int M() => (int)_d; }" },
        { "hook name taken by a property", "[MobileProcess] public partial class Bad { public int OnStarted { get; set; } }" },
        { "static hook", "[MobileProcess] public partial class Bad { private static void OnStopping() { } }" },
        { "hook implementation returning a value", "[MobileProcess] public partial class Bad { public partial int OnStarted() => 0; }" },
        { "virtual hook implementation", "[MobileProcess] public partial class Bad { public virtual partial void OnStarted() { } }" },
        { "class named like a lifecycle hook", "public partial class Outer { [MobileProcess] public partial class OnArrived { } }" },
        { "extension named like its extension class", "[MobileProcess] public partial class Bad { [Cast] public void BadProcessRefExtensions() { } }" },
        { "extension class name taken", "[MobileProcess] public partial class Bad { } public static class BadProcessRefExtensions { }" },
        { "attribute applied twice", "[MobileProcess] public partial class Bad { } [MobileProcess] public partial class Bad { }" },
    };
}
