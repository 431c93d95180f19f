using Actors.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actors.Api.Tests.Hosting;

/// <summary>Api:InlineScheduling reaches Kestrel's socket transport (on by default, off when configured).</summary>
public class SocketSchedulingTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public async Task InlineSchedulingSettingConfiguresTheSocketTransport(string? setting, bool expected)
    {
        string data = Directory.CreateTempSubdirectory("api-inline-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["Silo:DataFolder"] = data, ["Demo:Enabled"] = "false" };
            if (setting is not null) settings["Api:InlineScheduling"] = setting;
            await using var factory = new ApiFactory(settings);
            Assert.Equal(expected, factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        }
        finally { Directory.Delete(data, recursive: true); }
    }
}
