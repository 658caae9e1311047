using System.Text;

namespace Mobility.Events;

/// <summary>
/// A type's name on the wire that does not change with assembly versions: namespace-qualified name,
/// with generic arguments written the C# way (<c>System.Collections.Generic.List&lt;System.Int32&gt;</c>),
/// where <see cref="Type.FullName"/> would embed assembly-qualified names.
/// </summary>
internal static class StableTypeName
{
    public static string Of(Type type)
    {
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, Type type)
    {
        if (type.IsArray)
        {
            Append(builder, type.GetElementType()!);
            builder.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (!type.IsGenericType)
        {
            builder.Append(type.FullName ?? type.Name);
            return;
        }

        var definition = type.GetGenericTypeDefinition().FullName ?? type.Name;
        var tick = definition.IndexOf('`', StringComparison.Ordinal);
        builder.Append(tick < 0 ? definition : definition[..tick]).Append('<');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Append(builder, arguments[i]);
        }

        builder.Append('>');
    }
}
