using System.Text.Json.Nodes;
using Nautilus.Testing;
using Nautilus.Tests.Support;

namespace Nautilus.Tests.Generate;

/// <summary>`iac generate --check`: the committed code against a regeneration from NetBox (exit 8 when stale).</summary>
public sealed class GenerateCheckTests
{
    private const string Token = "0123456789abcdef0123456789abcdef01234567";

    private static readonly Dictionary<string, string?> Configuration = new() { ["Nautilus:NetBox:Token"] = Token };

    /// <summary>Work package "shop": web (VMs 1, 2) then db (VM 3).</summary>
    private static NetBoxFake Shop()
    {
        var netBox = new NetBoxFake();
        netBox.AddVirtualMachine(1, "shop-web-01", tags: ["wp:shop"], customFields: Fields("web", 10), vcpus: 2, memory: 4096);
        netBox.AddVirtualMachine(2, "shop-web-02", tags: ["wp:shop"], customFields: Fields("web", 10), vcpus: 2, memory: 4096);
        netBox.AddVirtualMachine(3, "shop-db-01", tags: ["wp:shop"], customFields: Fields("db", 20), vcpus: 4, memory: 8192);
        return netBox;
    }

    private static JsonObject Fields(string wave, int sequence) => new() { ["deployment_wave"] = wave, ["deployment_sequence"] = sequence };

    private static Task<CliRunner.Result> RunAsync(NetBoxFake netBox, string outDir, params string[] extra) =>
        CliRunner.RunAsync(null, outDir, Configuration, ["iac", "generate", "--wp", "shop", "--netbox-url", netBox.Url, "--out", outDir, .. extra]);

    [Fact]
    public async Task Check_RightAfterGenerate_ExitsZeroAndWritesNothing()
    {
        using var netBox = Shop();
        using var dir = new TempDir();
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);
        var before = TempDir.Snapshot(dir.Path);
        var times = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var check = await RunAsync(netBox, dir.Path, "--check");

        Assert.True(check.ExitCode == 0, check.Err);
        Assert.StartsWith("Up to date: the generated code of work package shop matches", check.Out, StringComparison.Ordinal);
        Assert.Equal(before.Keys, TempDir.Snapshot(dir.Path).Keys);
        Assert.All(times, t => Assert.Equal(t.Value, File.GetLastWriteTimeUtc(t.Key)));
    }

    [Fact]
    public async Task Check_AfterNetBoxEdits_Exits8NamingFilesObjectsFieldsAndTheCommand()
    {
        using var netBox = Shop();
        using var dir = new TempDir();
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);
        var before = TempDir.Snapshot(dir.Path);

        netBox.Edit("virtualization/virtual-machines", 3, vm => vm["memory"] = 16384);
        netBox.Edit("virtualization/virtual-machines", 2, vm => vm["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" });
        netBox.AddVirtualMachine(4, "shop-db-02", tags: ["wp:shop"], customFields: Fields("db", 21), vcpus: 4, memory: 8192);

        var check = await RunAsync(netBox, dir.Path, "--check", "--provider", "vsphere");

        Assert.Equal(8, check.ExitCode);
        Assert.Contains("changed             terraform/shop/db/main.tf", check.Out, StringComparison.Ordinal);
        Assert.Contains("changed             .nautilus/shop/manifest.json", check.Out, StringComparison.Ordinal);
        Assert.Contains("vm 'shop-db-01' (id 3): memory: '8192' → '16384'", check.Out, StringComparison.Ordinal);
        Assert.Contains("vm 'shop-web-02' (id 2): no longer in the generated code (status is now active)", check.Out, StringComparison.Ordinal);
        Assert.Contains("vm 'shop-db-02' (id 4): new in the work package (wave db)", check.Out, StringComparison.Ordinal);
        Assert.Contains("3 NetBox object(s) changed", check.Err, StringComparison.Ordinal);
        Assert.Contains($"nautilus iac generate --wp shop --provider vsphere --netbox-url {netBox.Url} --out . && git add -A terraform/shop ansible/shop " +
            $".nautilus/shop && git commit -m 'Regenerate shop from NetBox'", check.Err, StringComparison.Ordinal);

        // --check wrote nothing; running the command it gives makes the next check pass.
        var after = TempDir.Snapshot(dir.Path);
        Assert.All(before, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(after[kv.Key]), kv.Key));
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);
        Assert.Equal(0, (await RunAsync(netBox, dir.Path, "--check")).ExitCode);
    }

    [Fact]
    public async Task Check_RemovedWaveAndNothingGenerated_NamesDeletedAndMissingFiles()
    {
        using var netBox = Shop();
        using var dir = new TempDir();

        var nothing = await RunAsync(netBox, dir.Path, "--check");
        Assert.Equal(8, nothing.ExitCode);
        Assert.Contains("missing             terraform/shop/web/main.tf", nothing.Out, StringComparison.Ordinal);
        Assert.Contains("vm 'shop-web-01' (id 1): new in the work package (wave web)", nothing.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["terraform"]), "--check must not write");

        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);
        netBox.Edit("virtualization/virtual-machines", 3, vm => vm["status"] = new JsonObject { ["value"] = "active", ["label"] = "Active" });
        var stale = await RunAsync(netBox, dir.Path, "--check");
        Assert.Equal(8, stale.ExitCode);
        Assert.Contains("no longer generated terraform/shop/db/main.tf", stale.Out, StringComparison.Ordinal);
        Assert.Contains("no longer generated ansible/shop/waves/db.yml", stale.Out, StringComparison.Ordinal);
    }

    /// <summary>Generation keeps files it did not write (a README, Terraform's own), so --check never calls them stale.</summary>
    [Fact]
    public async Task Check_FilesAPersonOrTerraformAdded_AreNoDifference()
    {
        using var netBox = Shop();
        using var dir = new TempDir();
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);
        await File.WriteAllTextAsync(dir["terraform/shop/web/README.md"], "notes of the team");
        await File.WriteAllTextAsync(dir["terraform/shop/web/.terraform.lock.hcl"], "# lock");
        Directory.CreateDirectory(dir["terraform/shop/web/.terraform/providers"]);
        await File.WriteAllTextAsync(dir["terraform/shop/web/.terraform/providers/p"], "binary");

        var check = await RunAsync(netBox, dir.Path, "--check");

        Assert.True(check.ExitCode == 0, check.Out + check.Err);
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);
        Assert.Equal("notes of the team", await File.ReadAllTextAsync(dir["terraform/shop/web/README.md"]));
    }

    [Fact]
    public async Task Check_OtherNetBoxAddressForTheSameNetBox_IsUpToDate()
    {
        using var netBox = Shop();
        using var dir = new TempDir();
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);

        // The engineer generated through one address, the CI job reaches the same NetBox through another.
        var other = netBox.Url.Contains("localhost", StringComparison.Ordinal)
            ? netBox.Url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)
            : netBox.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        Assert.NotEqual(netBox.Url, other);
        var check = await CliRunner.RunAsync(null, dir.Path, Configuration,
            ["iac", "generate", "--wp", "shop", "--netbox-url", other, "--out", dir.Path, "--check"]);

        Assert.True(check.ExitCode == 0, check.Out + check.Err);
    }

    [Fact]
    public async Task Check_ManifestWithoutFieldSnapshot_StillReadsAndSaysWhyFieldsAreNotNamed()
    {
        using var netBox = Shop();
        using var dir = new TempDir();
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);

        // A manifest written before field snapshots existed.
        var path = dir[".nautilus/shop/manifest.json"];
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        foreach (var o in manifest["waves"]!.AsArray().SelectMany(w => w!["objects"]!.AsArray()))
        {
            o!.AsObject().Remove("fields");
        }

        await File.WriteAllTextAsync(path, manifest.ToJsonString());
        netBox.Edit("virtualization/virtual-machines", 3, vm => vm["memory"] = 16384);

        var check = await RunAsync(netBox, dir.Path, "--check");

        Assert.Equal(8, check.ExitCode);
        Assert.Contains("predates per-object field snapshots", check.Out, StringComparison.Ordinal);
        Assert.Contains("changed             terraform/shop/db/main.tf", check.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("memory:", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_TemplateChangeOnly_SaysNoNetBoxObjectChanged()
    {
        using var netBox = Shop();
        using var dir = new TempDir();
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);

        var check = await RunAsync(netBox, dir.Path, "--check", "--provider", "aws");

        Assert.Equal(8, check.ExitCode);
        Assert.Contains("The committed code targets another Terraform provider (vsphere → aws).", check.Out, StringComparison.Ordinal);
        Assert.Contains("No NetBox object changed since the code was generated", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_HostileNameInAChangedField_PrintsNoControlCharacters()
    {
        using var netBox = Shop();
        using var dir = new TempDir();
        Assert.Equal(0, (await RunAsync(netBox, dir.Path)).ExitCode);
        netBox.Edit("virtualization/virtual-machines", 1, vm => vm["description"] = "evil\u001b[2Jcleared");

        var check = await RunAsync(netBox, dir.Path, "--check");

        Assert.Equal(8, check.ExitCode);
        Assert.Contains("description: (none) → 'evil\\u001B[2Jcleared'", check.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', check.Out);
    }
}
