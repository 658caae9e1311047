namespace Mobility.Benchmarks;

/// <summary>An idle process whose state is a byte array of a chosen size (plus a counter).</summary>
[MobileProcess]
public partial class Payload
{
    private byte[] _state = [];
    private int _moves;

    [Call]
    public int Fill(int bytes)
    {
        _state = new byte[bytes];
        Random.Shared.NextBytes(_state);
        return _state.Length;
    }

    [Call]
    public int Arrivals() => _moves;

    partial void OnArrived(MigrationInfo info) => _moves++;
}
