namespace Mobility;

/// <summary>
/// <c>SendMeAsync</c> gave up waiting (its call timeout plus three <see cref="MobilityOptions.MigrationTimeout"/>s)
/// after the process had begun the move: the move may still commit at the destination or roll back at the source, and
/// this caller cannot tell which. The process is never in both places; find where it lives with a call or
/// <c>WhereIsAsync</c>. (Had the process not begun the move, the request is withdrawn and
/// <see cref="MigrationFailedException"/> says so instead.)
/// </summary>
public sealed class MigrationOutcomeUnknownException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    public MigrationOutcomeUnknownException(string message)
        : base(message)
    {
    }
}
