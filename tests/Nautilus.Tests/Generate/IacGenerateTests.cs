using System.Text;
using System.Text.Json;
using Nautilus.Tests.Support;
using Nautilus.Testing;

namespace Nautilus.Tests.Generate;

public sealed class IacGenerateTests
{
    public static TheoryData<string> Providers => new() { "vsphere", "aws", "azure" };

    private static string GoldenRoot(string provider) => Path.Combine(CliRunner.RepoRoot, "tests", "Nautilus.Tests", "Generate", "Golden", provider);

    internal static Task<CliRunner.Result> GenerateAsync(string outDir, params string[] extra) =>
        CliRunner.RunAsync(["iac", "generate", "--wp", "dc1-refresh", "--source", CliRunner.Example, "--out", outDir, .. extra]);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task IacGenerate_ExampleExport_MatchesGoldenFiles(string provider)
    {
        using var dir = new TempDir();
        var result = await GenerateAsync(dir.Path, "--provider", provider);
        Assert.True(result.ExitCode == 0, result.Err);

        var actual = TempDir.Snapshot(dir.Path);
        var golden = GoldenRoot(provider);
        if (Environment.GetEnvironmentVariable("NAUTILUS_UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(golden))
            {
                Directory.Delete(golden, recursive: true);
            }

            foreach (var (path, bytes) in actual)
            {
                var target = Path.Combine(golden, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllBytesAsync(target, bytes);
            }
        }

        Assert.True(Directory.Exists(golden), $"No golden files at {golden}; run the tests once with NAUTILUS_UPDATE_GOLDEN=1 and review the diff.");
        var expected = TempDir.Snapshot(golden);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, bytes) in expected)
        {
            Assert.True(
                bytes.AsSpan().SequenceEqual(actual[path]),
                $"{path} differs from the golden file (rerun with NAUTILUS_UPDATE_GOLDEN=1 if the change is " +
                    $"intended):\n{Encoding.UTF8.GetString(actual[path])}");
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    [RealTool]
    public async Task IacGenerate_ExampleExport_TerraformParsesAndIsCanonical(string provider)
    {
        using var dir = new TempDir();
        var result = await GenerateAsync(dir.Path, "--provider", provider);
        Assert.True(result.ExitCode == 0, result.Err);

        await RealTools.AssertHclAsync(dir["terraform/dc1-refresh"]);
        var waves = Directory.GetDirectories(dir["terraform/dc1-refresh"]).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["application", "database", "identity", "monitoring", "network-foundation", "storage"], waves);
        foreach (var wave in Directory.GetDirectories(dir["terraform/dc1-refresh"]))
        {
            var files = Directory.GetFiles(wave).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.Equal(["backend.tf", "main.tf", "outputs.tf", "providers.tf", "variables.tf", "versions.tf"], files);
            Assert.Contains("backend \"http\" {}", await File.ReadAllTextAsync(Path.Combine(wave, "backend.tf")), StringComparison.Ordinal);
        }
    }

    [Fact]
    [RealTool]
    public async Task IacGenerate_ExampleExport_AnsiblePassesSyntaxCheckAndInventoryLoads()
    {
        using var dir = new TempDir();
        var result = await GenerateAsync(dir.Path);
        Assert.True(result.ExitCode == 0, result.Err);

        var inventory = await RealTools.AssertAnsibleAsync(dir["ansible/dc1-refresh"]);
        using var doc = JsonDocument.Parse(inventory);
        var hostvars = doc.RootElement.GetProperty("_meta").GetProperty("hostvars");
        var db = hostvars.GetProperty("dc1-db-01");
        Assert.Equal("10.20.1.11", db.GetProperty("ansible_host").GetString());
        Assert.Equal(21, db.GetProperty("netbox_object_id").GetInt32());
        Assert.Equal("database-server", db.GetProperty("role").GetString());
        Assert.Equal("high", db.GetProperty("custom_fields").GetProperty("rollback_complexity").GetString());
        Assert.Equal(
            ["dc1-db-01", "dc1-db-02"],
            doc.RootElement.GetProperty("wave_database").GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.False(hostvars.TryGetProperty("dc1-bastion-01", out _)); // active: already deployed, not generated
        Assert.False(hostvars.TryGetProperty("dc1-pdu-a1", out _)); // another work package
    }

    /// <summary>A new user's first run, on the bundled example, is clean: the example carries no data the planner warns about.</summary>
    [Fact]
    public async Task IacGenerate_BundledExample_FirstRunWarnsAboutNothing()
    {
        using var dir = new TempDir();
        var result = await GenerateAsync(dir.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Err);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(dir[".nautilus/dc1-refresh/manifest.json"]));
        Assert.Equal(0, manifest.RootElement.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task IacGenerate_SameInputTwice_IsByteIdentical()
    {
        using var first = new TempDir();
        using var second = new TempDir();
        Assert.Equal(0, (await GenerateAsync(first.Path)).ExitCode);
        Assert.Equal(0, (await GenerateAsync(second.Path)).ExitCode);

        var a = TempDir.Snapshot(first.Path);
        var b = TempDir.Snapshot(second.Path);
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(b[kv.Key]), kv.Key));

        var again = await GenerateAsync(first.Path);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith("Up to date:", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IacGenerate_Manifest_MapsEveryObjectToItsTerraformAddress()
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await GenerateAsync(dir.Path)).ExitCode);

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(dir[".nautilus/dc1-refresh/manifest.json"]));
        Assert.Equal("vsphere", manifest.RootElement.GetProperty("provider").GetString());
        var objects = manifest.RootElement.GetProperty("waves").EnumerateArray().SelectMany(w => w.GetProperty("objects").EnumerateArray()).ToList();
        Assert.Equal(12, objects.Count);
        var web = objects.Single(o => o.GetProperty("id").GetInt32() == 31);
        Assert.Equal("vsphere_virtual_machine.dc1_web_01", web.GetProperty("terraform_address").GetString());
        var leaf = objects.Single(o => o.GetProperty("type").GetString() == "dcim.device" && o.GetProperty("id").GetInt32() == 1);
        Assert.Equal("terraform_data.dc1_leaf_01", leaf.GetProperty("terraform_address").GetString());

        // The same mapping is in each wave's outputs, where `terraform show -json` exposes it.
        var outputs = await File.ReadAllTextAsync(dir["terraform/dc1-refresh/application/outputs.tf"]);
        Assert.Contains("\"vsphere_virtual_machine.dc1_web_01\" = {", outputs, StringComparison.Ordinal);
        Assert.Contains("object_id   = 31", outputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IacGenerate_BrokenOverrideTemplate_FailsNamingLineAndColumnAndKeepsPreviousOutput()
    {
        using var dir = new TempDir();
        using var overrides = new TempDir();
        Assert.Equal(0, (await GenerateAsync(dir.Path)).ExitCode);
        var before = TempDir.Snapshot(dir.Path);

        Directory.CreateDirectory(overrides["terraform/vsphere"]);
        await File.WriteAllTextAsync(overrides["terraform/vsphere/main.tf.sbn"],
            "# ok\n{{ for vm in wave.virtual_machines }}\nname = {{ vm.nmae | hcl }}\n{{ end }}\n");
        var result = await GenerateAsync(dir.Path, "--templates", overrides.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("terraform/vsphere/main.tf.sbn", result.Err, StringComparison.Ordinal);
        Assert.Contains("line 3, column", result.Err, StringComparison.Ordinal);
        Assert.Contains("nmae", result.Err, StringComparison.Ordinal);
        var after = TempDir.Snapshot(dir.Path);
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(after[kv.Key]), kv.Key));
    }

    [Fact]
    public async Task IacGenerate_OverrideTemplate_ReplacesThatFileOnly()
    {
        using var dir = new TempDir();
        using var overrides = new TempDir();
        Directory.CreateDirectory(overrides["terraform/vsphere"]);
        await File.WriteAllTextAsync(overrides["terraform/vsphere/providers.tf.sbn"],
            "provider \"vsphere\" {\n  vsphere_server = var.vsphere_server\n  user = var.vsphere_user\n  password = var.vsphere_password\n}\n");

        var result = await GenerateAsync(dir.Path, "--templates", overrides.Path);

        Assert.True(result.ExitCode == 0, result.Err);
        var providers = await File.ReadAllTextAsync(dir["terraform/dc1-refresh/database/providers.tf"]);
        Assert.DoesNotContain("allow_unverified_ssl", providers, StringComparison.Ordinal);
        Assert.Contains("vsphere_server = var.vsphere_server", providers, StringComparison.Ordinal);
        Assert.Contains("vsphere_virtual_machine", await File.ReadAllTextAsync(dir["terraform/dc1-refresh/database/main.tf"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IacGenerate_WaveFilter_GeneratesOnlyThatWave()
    {
        using var dir = new TempDir();
        var result = await GenerateAsync(dir.Path, "--wave", "database");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(["database"], Directory.GetDirectories(dir["terraform/dc1-refresh"]).Select(Path.GetFileName));
        Assert.Equal(["database.yml"], Directory.GetFiles(dir["ansible/dc1-refresh/waves"]).Select(Path.GetFileName));
    }

    /// <summary>A typo in a filter selects nothing: that must be an error, not an empty layout that replaces the generated waves.</summary>
    [Theory]
    [InlineData("--wave", "databse", "Did you mean 'database'? Known: application, database, identity, monitoring, network-foundation, storage.")]
    [InlineData("--sprint", "2026-50", "Known: 2026-48, 2026-49.")]
    public async Task IacGenerate_FilterValueNoObjectHas_UsageErrorListingKnownValuesOutputUntouched(string option, string value, string known)
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await GenerateAsync(dir.Path)).ExitCode);
        Directory.CreateDirectory(dir["terraform/dc1-refresh/database/.terraform/providers"]);
        await File.WriteAllTextAsync(dir["terraform/dc1-refresh/database/.terraform/providers/plugin"], "binary");
        var before = TempDir.Snapshot(dir.Path);

        var result = await GenerateAsync(dir.Path, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{option} '{value}' matches no object of work package 'dc1-refresh'.", result.Err, StringComparison.Ordinal);
        Assert.Contains(known, result.Err, StringComparison.Ordinal);
        Assert.Equal(before.Keys, TempDir.Snapshot(dir.Path).Keys);
    }

    /// <summary>Regeneration drops only what it generated before: Terraform's working files and anything else a person put there stay.</summary>
    [Fact]
    public async Task IacGenerate_WaveNoLongerGenerated_KeepsTerraformFoldersAndFilesItDidNotGenerate()
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await GenerateAsync(dir.Path)).ExitCode);
        string[] foreign =
        [
            "terraform/dc1-refresh/storage/.terraform/providers/registry.terraform.io/vmware/vsphere/2.10.0/linux_amd64/plugin",
            "terraform/dc1-refresh/storage/.terraform.lock.hcl",
            "terraform/dc1-refresh/storage/terraform.tfvars",
            "terraform/dc1-refresh/database/.terraform/terraform.tfstate",
            "terraform/dc1-refresh/README.md",
            "ansible/dc1-refresh/roles/webserver/tasks/main.yml",
        ];
        foreach (var file in foreign)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dir[file])!);
            await File.WriteAllTextAsync(dir[file], file);
        }

        var narrowed = await GenerateAsync(dir.Path, "--wave", "database");

        Assert.True(narrowed.ExitCode == 0, narrowed.Err);
        Assert.False(File.Exists(dir["terraform/dc1-refresh/storage/main.tf"]));
        Assert.False(File.Exists(dir["ansible/dc1-refresh/waves/storage.yml"]));
        Assert.All(foreign, file => Assert.Equal(file, File.ReadAllText(dir[file])));

        var full = await GenerateAsync(dir.Path);
        Assert.True(full.ExitCode == 0, full.Err);
        Assert.True(File.Exists(dir["terraform/dc1-refresh/storage/main.tf"]));
        Assert.All(foreign, file => Assert.Equal(file, File.ReadAllText(dir[file])));
        Assert.StartsWith("Up to date:", (await GenerateAsync(dir.Path)).Out, StringComparison.Ordinal);
    }

    [Fact]
    [RealTool]
    public async Task IacGenerate_NoPlannedObjects_WritesAValidEmptyLayoutAndWarns()
    {
        using var dir = new TempDir();

        // A known work package (its tag exists) whose only object is already active.
        var source = new SyntheticExport().Vm("done-01", "nothing-planned", "only", 10, "active").WriteTo(dir.Path);
        var result = await CliRunner.RunAsync(["iac", "generate", "--wp", "nothing-planned", "--source", source, "--out", dir.Path]);

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("no planned objects", result.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(dir["terraform/nothing-planned"]));
        await RealTools.AssertAnsibleAsync(dir["ansible/nothing-planned"]);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(dir[".nautilus/nothing-planned/manifest.json"]));
        Assert.Equal(0, manifest.RootElement.GetProperty("waves").GetArrayLength());
    }

    [Fact]
    public async Task IacGenerate_UnknownProvider_IsAUsageError()
    {
        using var dir = new TempDir();
        var result = await GenerateAsync(dir.Path, "--provider", "gcp");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("vsphere", result.Err, StringComparison.Ordinal);
    }

    /// <summary>An override in a misspelled folder overrides nothing: templates list and generate warn, naming the close folder; a real one is quiet.</summary>
    [Fact]
    public async Task TemplateOverrideInAMisspelledFolder_WarnedByListAndGenerate()
    {
        using var overrides = new TempDir();
        Directory.CreateDirectory(overrides["terraform/vspher"]);
        Directory.CreateDirectory(overrides["terraform/vsphere"]);
        Directory.CreateDirectory(overrides["plan"]);
        await File.WriteAllTextAsync(overrides["terraform/vspher/main.tf.sbn"], "# never read\n");
        await File.WriteAllTextAsync(overrides["plan/summary.md.sbn"], "never read\n");
        await File.WriteAllTextAsync(overrides["terraform/vsphere/extra.tf.sbn"], "# extra file of the team\n");
        using var dir = new TempDir();

        var list = await CliRunner.RunAsync("templates", "list", "--templates", overrides.Path);
        var generate = await GenerateAsync(dir.Path, "--templates", overrides.Path);

        Assert.Equal(0, list.ExitCode);
        Assert.True(generate.ExitCode == 0, generate.Err);
        foreach (var err in new[] { list.Err, generate.Err })
        {
            Assert.Contains($"warning: template override {overrides["terraform/vspher/main.tf.sbn"]} is in folder 'terraform/vspher/', which no built-in " +
                $"template is in, so nothing reads it. Did you mean 'terraform/vsphere/'?", err, StringComparison.Ordinal);
            Assert.Contains($"warning: template override {overrides["plan/summary.md.sbn"]} replaces no built-in template", err, StringComparison.Ordinal);
            Assert.DoesNotContain("extra.tf.sbn", err, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(dir["terraform/dc1-refresh/database/extra.tf"]));
    }

    [Fact]
    public async Task TemplatesList_WithOverride_ShowsWhereEachNameResolves()
    {
        using var overrides = new TempDir();
        Directory.CreateDirectory(overrides["ansible"]);
        await File.WriteAllTextAsync(overrides["ansible/site.yml.sbn"], "[]\n");

        var result = await CliRunner.RunAsync("templates", "list", "--templates", overrides.Path, "--format", "json");

        Assert.True(result.ExitCode == 0, result.Err);
        using var doc = JsonDocument.Parse(result.Out);
        var rows = doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("origin").GetString());
        Assert.Equal(overrides["ansible/site.yml.sbn"], rows["ansible/site.yml.sbn"]);
        Assert.Equal("built-in", rows["ansible/wave.yml.sbn"]);
        foreach (var provider in new[] { "vsphere", "aws", "azure" })
        {
            foreach (var file in new[] { "versions", "backend", "providers", "main", "variables", "outputs" })
            {
                Assert.Equal("built-in", rows[$"terraform/{provider}/{file}.tf.sbn"]);
            }
        }
    }
}
