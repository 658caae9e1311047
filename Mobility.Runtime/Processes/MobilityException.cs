namespace Mobility;

/// <summary>Base of the exceptions Mobility throws for conditions of its own.</summary>
public abstract class MobilityException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected MobilityException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
