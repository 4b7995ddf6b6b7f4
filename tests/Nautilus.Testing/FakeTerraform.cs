using System.Text.Json.Nodes;

namespace Nautilus.Testing;

/// <summary>
/// The fake terraform executable (Tools/fake-terraform) in a directory of its own: it records each call's
/// arguments, working directory and environment, prints the outputs a test gives it, and fails or hangs on demand.
/// </summary>
public sealed class FakeTerraform : IDisposable
{
    public FakeTerraform()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("nautilus-fake-tf-").FullName;
        Path = System.IO.Path.Combine(Directory, "terraform");
        File.Copy(System.IO.Path.Combine(AppContext.BaseDirectory, "Tools", "fake-terraform"), Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Directory { get; }

    /// <summary>The executable, for NAUTILUS_TF_BIN.</summary>
    public string Path { get; }

    /// <summary>`output -json` in the wave directory <paramref name="waveDirectory"/> prints this.</summary>
    public FakeTerraform WithOutputs(string waveDirectory, JsonObject outputs)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, "outputs"));
        File.WriteAllText(System.IO.Path.Combine(Directory, "outputs", waveDirectory + ".json"), outputs.ToJsonString());
        return this;
    }

    /// <summary>
    /// Outputs in the shape of the generated modules (templates/terraform/*/outputs.tf.sbn): nautilus_netbox maps each
    /// resource address to its NetBox identity, primary_ip4 maps "&lt;object type&gt;/&lt;id&gt;" to the address the provider reports.
    /// </summary>
    public FakeTerraform WithAddresses(string waveDirectory, params (string ObjectType, int Id, string Name, string? Ipv4)[] objects)
    {
        var identities = new JsonObject();
        var addresses = new JsonObject();
        foreach (var (type, id, name, ip) in objects)
        {
            identities[$"{(type == "dcim.device" ? "terraform_data" : "vsphere_virtual_machine")}.{name.Replace('-', '_')}"] =
                new JsonObject { ["object_type"] = type, ["object_id"] = id, ["name"] = name };
            addresses[$"{type}/{id}"] = ip;
        }

        return WithOutputs(waveDirectory, new JsonObject
        {
            ["nautilus_netbox"] = new JsonObject { ["sensitive"] = false, ["type"] = new JsonArray("object"), ["value"] = identities },
            ["primary_ip4"] = new JsonObject { ["sensitive"] = false, ["type"] = new JsonArray("object"), ["value"] = addresses },
        });
    }

    public FakeTerraform FailOn(string waveDirectory, string command) => Mark("fail", waveDirectory, command);

    /// <summary>Undoes <see cref="FailOn"/>: the command succeeds again in that directory.</summary>
    public FakeTerraform Heal(string waveDirectory, string command)
    {
        File.Delete(System.IO.Path.Combine(Directory, "fail", $"{waveDirectory}-{command}"));
        return this;
    }

    public FakeTerraform HangOn(string waveDirectory, string command) => Mark("hang", waveDirectory, command);

    /// <summary>The calls so far, in order.</summary>
    public IReadOnlyList<Call> Calls
    {
        get
        {
            var dir = System.IO.Path.Combine(Directory, "calls");
            if (!System.IO.Directory.Exists(dir))
            {
                return [];
            }

            return System.IO.Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(Call.Read).ToList();
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private FakeTerraform Mark(string kind, string waveDirectory, string command)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, kind));
        File.WriteAllText(System.IO.Path.Combine(Directory, kind, $"{waveDirectory}-{command}"), "");
        return this;
    }

    public sealed record Call(string WorkingDirectory, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, bool Terminated)
    {
        /// <summary>The wave directory's name.</summary>
        public string Wave => System.IO.Path.GetFileName(WorkingDirectory);

        public string Command => Arguments.Count > 0 ? Arguments[0] : "";

        public static Call Read(string path)
        {
            string cwd = "";
            var args = new List<string>();
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            var terminated = false;
            foreach (var line in File.ReadAllLines(path))
            {
                if (line.StartsWith("cwd=", StringComparison.Ordinal))
                {
                    cwd = line[4..];
                }
                else if (line.StartsWith("arg=", StringComparison.Ordinal))
                {
                    args.Add(line[4..]);
                }
                else if (line.StartsWith("env:", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is var eq and > 4)
                {
                    env[line[4..eq]] = line[(eq + 1)..];
                }
                else if (line == "terminated")
                {
                    terminated = true;
                }
            }

            return new Call(cwd, args, env, terminated);
        }
    }
}
