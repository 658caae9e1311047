namespace Mobility.Processes;

/// <summary>
/// How an exception thrown on one node reaches a caller on another: as its type name and message. Mobility's
/// own exceptions are rebuilt as themselves; any other becomes a <see cref="RemoteProcessException"/>.
/// </summary>
internal static class RemoteErrors
{
    private const char Separator = '\u001f';

    public static string TypeOf(Exception exception) => exception switch
    {
        MigrationFailedException failed => $"{typeof(MigrationFailedException).FullName}{Separator}{failed.Reason}",
        NameAlreadyRegisteredException taken => $"{typeof(NameAlreadyRegisteredException).FullName}{Separator}{taken.Name}{Separator}{taken.Holder}",
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    public static string MessageOf(Exception exception) => exception.Message;

    public static Exception Rebuild(string type, string message)
    {
        var parts = type.Split(Separator);
        if (parts[0] == typeof(MigrationFailedException).FullName && parts.Length == 2 && Enum.TryParse<MigrationFailureReason>(parts[1], out var reason))
        {
            return new MigrationFailedException(reason, message);
        }

        if (parts[0] == typeof(NameAlreadyRegisteredException).FullName && parts.Length == 3 && Guid.TryParseExact(parts[2], "N", out var holder))
        {
            return new NameAlreadyRegisteredException(parts[1], ProcessId.FromGuid(holder));
        }

        if (parts[0] == typeof(UnhandledEventException).FullName)
        {
            return new UnhandledEventException(message);
        }

        if (parts[0] == typeof(ProcessUnreachableException).FullName)
        {
            return new ProcessUnreachableException(default, message);
        }

        return new RemoteProcessException(parts[0], message);
    }
}
