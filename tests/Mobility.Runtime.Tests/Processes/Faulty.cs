namespace Mobility.Tests.Processes;

/// <summary>A process whose handlers throw.</summary>
[MobileProcess]
public partial class Faulty
{
    private int _handled;

    [Call]
    public int Divide(int by)
    {
        _handled++;
        return 100 / by;
    }

    [Cast]
    public void Explode(string message)
    {
        _handled++;
        throw new InvalidOperationException(message);
    }

    [Call]
    public int Handled() => _handled;
}

/// <summary>A process that cannot start.</summary>
[MobileProcess]
public partial class Unstartable
{
    partial void OnStarted() => throw new InvalidOperationException("no resources");

    [Call]
    public int Ping() => 1;
}
