namespace Mobility;

/// <summary>A process tried to register a name that another live process holds.</summary>
public sealed class NameAlreadyRegisteredException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    public NameAlreadyRegisteredException(string name, ProcessId holder)
        : base($"The name '{name}' is already registered by process {holder}. Names are unique: pick another, or wait until that process stops.")
    {
        Name = name;
        Holder = holder;
    }

    /// <summary>The contested name.</summary>
    public string Name { get; }

    /// <summary>The process that holds it.</summary>
    public ProcessId Holder { get; }
}
