using System.Linq;
using Microsoft.CodeAnalysis;

namespace Mobility.Generators;

/// <summary>The types the parser recognises, as symbols: it compares types with <see cref="SymbolEqualityComparer"/>, never by name.</summary>
internal static partial class MobileProcessParser
{
    /// <summary>
    /// The runtime's and the framework's types the parser compares against, looked up by metadata
    /// name in the compilation of the class being parsed (as <c>Mobility.Analyzers</c>' <c>MobilitySymbols</c>
    /// does, so both recognise the same types). A type the compilation lacks is null and matches nothing.
    /// Parser-only: no symbol reaches the model.
    /// </summary>
    private sealed class KnownTypes
    {
        public KnownTypes(Compilation compilation)
        {
            MobileProcessAttribute = compilation.GetTypeByMetadataName(MobileProcessAttributeName);
            CallAttribute = compilation.GetTypeByMetadataName("Mobility.CallAttribute");
            CastAttribute = compilation.GetTypeByMetadataName("Mobility.CastAttribute");
            TransientAttribute = compilation.GetTypeByMetadataName("Mobility.TransientAttribute");
            StateMachineAttribute = compilation.GetTypeByMetadataName("Mobility.StateMachineAttribute");
            WhenAttribute = compilation.GetTypeByMetadataName("Mobility.WhenAttribute");
            StateEnterAttribute = compilation.GetTypeByMetadataName("Mobility.StateEnterAttribute");
            IMobileProcess = compilation.GetTypeByMetadataName("Mobility.Generated.IMobileProcess");
            NoResult = compilation.GetTypeByMetadataName("Mobility.Generated.NoResult");
            MigrationInfo = compilation.GetTypeByMetadataName("Mobility.MigrationInfo");
            Down = compilation.GetTypeByMetadataName("Mobility.Down");
            ExitSignal = compilation.GetTypeByMetadataName("Mobility.ExitSignal");
            CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
            Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
            TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
            ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
            ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        }

        public INamedTypeSymbol? MobileProcessAttribute { get; }

        public INamedTypeSymbol? CallAttribute { get; }

        public INamedTypeSymbol? CastAttribute { get; }

        public INamedTypeSymbol? TransientAttribute { get; }

        public INamedTypeSymbol? StateMachineAttribute { get; }

        public INamedTypeSymbol? WhenAttribute { get; }

        public INamedTypeSymbol? StateEnterAttribute { get; }

        /// <summary>The non-generic base of every generated process interface (<c>IMobileProcess&lt;T&gt;</c>, <c>IStateMachineProcess</c>).</summary>
        public INamedTypeSymbol? IMobileProcess { get; }

        /// <summary>The reply type of a call that returns nothing.</summary>
        public INamedTypeSymbol? NoResult { get; }

        public INamedTypeSymbol? MigrationInfo { get; }

        public INamedTypeSymbol? Down { get; }

        public INamedTypeSymbol? ExitSignal { get; }

        public INamedTypeSymbol? CancellationToken { get; }

        public INamedTypeSymbol? Task { get; }

        public INamedTypeSymbol? TaskOfT { get; }

        public INamedTypeSymbol? ValueTask { get; }

        public INamedTypeSymbol? ValueTaskOfT { get; }

        /// <summary>Whether <paramref name="type"/> is <paramref name="known"/> (false when the compilation lacks it).</summary>
        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
            known is not null && SymbolEqualityComparer.Default.Equals(type, known);

        /// <summary>Whether <paramref name="attribute"/> is an application of <paramref name="attributeType"/>.</summary>
        public static bool Is(AttributeData attribute, INamedTypeSymbol? attributeType) => Is(attribute.AttributeClass, attributeType);

        /// <summary>Whether <paramref name="symbol"/> carries <paramref name="attributeType"/>.</summary>
        public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType) =>
            attributeType is not null && symbol.GetAttributes().Any(attribute => Is(attribute, attributeType));
    }
}
