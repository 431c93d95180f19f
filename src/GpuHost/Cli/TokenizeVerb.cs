using System.CommandLine;
using System.Text.Json;

namespace Actors.GpuHost.Cli;

/// <summary>`tokenize --model DIR "text"`: the CLIP token ids (with start/end of text, no padding) as one JSON array.</summary>
public sealed class TokenizeVerb : ICliVerb
{
    public Command Build()
    {
        var model = ClipCliSupport.ModelOption();
        var text = new Argument<string>("text") { Description = "text to tokenize" };
        var cmd = new Command("tokenize", "Print CLIP BPE token ids of a text as one JSON array");
        cmd.Options.Add(model);
        cmd.Arguments.Add(text);
        cmd.SetAction(parse =>
        {
            var tokenizer = ClipCliSupport.LoadTokenizer(parse.GetValue(model)!);
            var (ids, eot) = tokenizer.EncodeBatch([parse.GetValue(text)!], 77);
            Console.WriteLine(JsonSerializer.Serialize(ids[..(eot[0] + 1)]));
            return 0;
        });
        return cmd;
    }
}
