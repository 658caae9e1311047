using System;
using System.Text;

namespace Mobility.Generators;

/// <summary>
/// Writes C# source line by line over a <see cref="StringBuilder"/>, keeping track of the
/// indentation of nested blocks. Lines always end with <c>\n</c>, whatever the platform.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;

    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Writes <paramref name="text"/> at the current indentation; each of its lines is indented.</summary>
    public void WriteLine(string text)
    {
        var start = 0;
        while (true)
        {
            var end = text.IndexOf('\n', start);
            var line = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
            WriteSingleLine(line.TrimEnd('\r'));
            if (end < 0)
            {
                return;
            }

            start = end + 1;
        }
    }

    /// <summary>Writes an empty line.</summary>
    public void WriteLine() => _builder.Append('\n');

    /// <summary>Writes <c>{</c> and indents what follows.</summary>
    public void OpenBlock()
    {
        WriteSingleLine("{");
        _indent++;
    }

    /// <summary>Ends the block that <see cref="OpenBlock"/> opened.</summary>
    public void CloseBlock(string suffix = "")
    {
        if (_indent == 0)
        {
            throw new InvalidOperationException("No block is open.");
        }

        _indent--;
        WriteSingleLine("}" + suffix);
    }

    /// <summary>Indents the lines written until <see cref="Unindent"/>, without braces.</summary>
    public void Indent() => _indent++;

    /// <summary>Ends an <see cref="Indent"/>.</summary>
    public void Unindent() => _indent--;

    public override string ToString() => _builder.ToString();

    private void WriteSingleLine(string line)
    {
        if (line.Length != 0)
        {
            _builder.Append(' ', _indent * IndentSize);
            _builder.Append(line);
        }

        _builder.Append('\n');
    }
}
