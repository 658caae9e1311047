using System.Globalization;
using System.Text;

namespace Mobility.Benchmarks;

/// <summary>
/// The markdown result: one table per workload, one row per figure, one column per framework, then Mobility's
/// factor against each peer (above 1: Mobility is better, whether the figure is a rate or a latency).
/// </summary>
internal sealed class Report(IReadOnlyList<string> frameworks)
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _notes = [];

    public string Text => _text.ToString();

    public void Heading(string title, string description)
    {
        _text.AppendLine().AppendLine($"### {title}").AppendLine().AppendLine(description).AppendLine();
        _text.Append("| figure | ").AppendJoin(" | ", frameworks).Append(" | ")
            .AppendJoin(" | ", frameworks.Skip(1).Select(peer => $"Mobility vs {peer}")).AppendLine(" |");
        _text.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", frameworks.Count * 2 - 1))).AppendLine();
    }

    /// <summary>A row; <paramref name="values"/> by framework name, missing or null when not measured.</summary>
    public void Figure(string figure, bool higherIsBetter, IReadOnlyDictionary<string, double?> values, string format = "N0")
    {
        _text.Append($"| {figure} | ")
            .AppendJoin(" | ", frameworks.Select(f => values.GetValueOrDefault(f) is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a"))
            .Append(" | ")
            .AppendJoin(" | ", frameworks.Skip(1).Select(peer =>
                values.GetValueOrDefault(frameworks[0]) is { } mine && values.GetValueOrDefault(peer) is { } theirs && mine > 0 && theirs > 0
                    ? $"×{(higherIsBetter ? mine / theirs : theirs / mine):0.00}"
                    : "–"))
            .AppendLine(" |");
    }

    public void Line(string line) => _text.AppendLine(line);

    public void Note(string note)
    {
        _notes.Add(note);
        Console.Error.WriteLine($"  note: {note}");
    }

    public string Finish()
    {
        if (_notes.Count > 0)
        {
            _text.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var note in _notes)
            {
                _text.AppendLine($"- {note}");
            }
        }

        return Text;
    }
}
