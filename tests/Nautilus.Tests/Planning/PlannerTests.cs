using Nautilus.Core;
using Nautilus.Core.Planning;
using Nautilus.Tests.Support;
using static Nautilus.Tests.Support.Objects;

namespace Nautilus.Tests.Planning;

public sealed class PlannerTests
{
    private const string Wp = "wp:dc1";
    private static readonly string[] Planned = ["planned"];

    private static WavePlan Plan(Selection? selection = null, params Nautilus.Core.NetBox.NetBoxObject[] objects) =>
        Planner.Plan(Snapshot(objects), "dc1", "test", selection, Planned);

    [Fact]
    public void Plan_EqualRanks_FormOneLevelThatRunsInParallel()
    {
        var plan = Plan(null,
            Vm(1, "net-1", 10, null, "planned", Wp, "wave:network"),
            Vm(2, "db-1", 20, null, "planned", Wp, "wave:db"),
            Vm(3, "idm-1", 20, null, "planned", Wp, "wave:identity"),
            Vm(4, "web-1", 30, null, "planned", Wp, "wave:web"));

        Assert.Equal(["network", "db", "identity", "web"], plan.Waves.Select(w => w.Name));
        Assert.Equal([0, 1, 1, 2], plan.Waves.Select(w => w.Level));
        Assert.Equal(["network"], plan.Waves[1].DependsOn);
        Assert.Equal(["network"], plan.Waves[2].DependsOn);
        Assert.Equal(["db", "identity"], plan.Waves[3].DependsOn);
        Assert.Equal("dc1-db", plan.Waves[1].StateName);
    }

    [Fact]
    public void Plan_MissingSequences_SortAfterNumberedWavesAndObjects()
    {
        var plan = Plan(null,
            Vm(1, "zeta", null, null, "planned", Wp, "wave:late"),
            Vm(2, "b-web", null, null, "planned", Wp, "wave:web"),
            Vm(3, "a-web", 5, null, "planned", Wp, "wave:web"),
            Vm(4, "c-web", null, null, "planned", Wp, "wave:web"),
            Vm(5, "no-wave", null, null, "planned", Wp));

        Assert.Equal(["web", "default", "late"], plan.Waves.Select(w => w.Name));
        Assert.Equal([0, 1, 1], plan.Waves.Select(w => w.Level));
        Assert.Equal(["a-web", "b-web", "c-web"], plan.Waves[0].Objects.Select(o => o.Name));
    }

    [Fact]
    public void Plan_CustomFieldAndTagDisagree_CustomFieldWinsWithWarningNamingObject()
    {
        var plan = Plan(null, Vm(7, "db-2", 1, "database", "planned", Wp, "wave:application"));

        Assert.Equal("database", Assert.Single(plan.Waves).Name);
        var warning = Assert.Single(plan.Warnings);
        Assert.Contains("'db-2' (id 7)", warning, StringComparison.Ordinal);
        Assert.Contains("custom field wins", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ExplicitEdgeWithinOneLevel_PushesDependentWaveToNextLevel()
    {
        var plan = Plan(null,
            Vm(1, "a", 10, null, "planned", Wp, "wave:alpha", "depends-on:wave:beta"),
            Vm(2, "b", 10, null, "planned", Wp, "wave:beta"),
            Vm(3, "c", 20, null, "planned", Wp, "wave:gamma"));

        Assert.Equal(["beta", "alpha", "gamma"], plan.Waves.Select(w => w.Name));
        Assert.Equal([0, 1, 2], plan.Waves.Select(w => w.Level));
        Assert.Equal(["beta"], plan.Waves[1].DependsOn);
        Assert.Equal(["alpha", "beta"], plan.Waves[2].DependsOn.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_Cycle_IsInvalidDataNamingTheCycleAndTheTaggedObject()
    {
        var ex = Assert.Throws<NautilusException>(() => Plan(null,
            Vm(1, "a", 10, null, "planned", Wp, "wave:alpha", "depends-on:wave:beta"),
            Vm(2, "b", 20, null, "planned", Wp, "wave:beta")));

        Assert.Equal(ExitCode.InvalidData, ex.Code);
        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
        Assert.Contains("alpha", ex.Message, StringComparison.Ordinal);
        Assert.Contains("beta", ex.Message, StringComparison.Ordinal);
        Assert.Contains("virtual machine 'a' (id 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownWave_IsInvalidDataNamingObjectAndWave()
    {
        var ex = Assert.Throws<NautilusException>(() => Plan(null,
            Vm(1, "web-1", 10, null, "planned", Wp, "wave:web", "depends-on:wave:databse"),
            Device(2, "leaf-1", 1, null, "planned", Wp, "wave:web", "wave:net")));

        Assert.Equal(ExitCode.InvalidData, ex.Code);
        Assert.Contains("virtual machine 'web-1' (id 1) depends on wave 'databse'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("device 'leaf-1' (id 2) has several wave tags", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Details.Count);
    }

    [Fact]
    public void Plan_EdgeToWaveAlreadyDeployed_IsSatisfiedNotUnknown()
    {
        var plan = Plan(null,
            Vm(1, "net-1", 10, null, "active", Wp, "wave:network"),
            Vm(2, "web-1", 20, null, "planned", Wp, "wave:web", "depends-on:wave:network"));

        var wave = Assert.Single(plan.Waves);
        Assert.Equal("web", wave.Name);
        Assert.Empty(wave.DependsOn);
    }

    [Fact]
    public void Plan_CrossPackageDependency_IsRecordedOnTheDependentWave()
    {
        var plan = Plan(null,
            Vm(1, "net-1", 10, null, "planned", Wp, "wave:network"),
            Vm(2, "db-1", 20, null, "planned", Wp, "wave:db", "depends-on:wp:power"));

        Assert.Empty(plan.Waves[0].DependsOnWorkPackages);
        Assert.Equal(["power"], plan.Waves[1].DependsOnWorkPackages);
        Assert.Equal(["power"], plan.WorkPackageDependencies);
    }

    [Fact]
    public void Plan_OnlyObjectsOfTheWorkPackageAndInScopeStatuses()
    {
        var plan = Plan(null,
            Vm(1, "mine", 1, null, "planned", Wp),
            Vm(2, "other", 1, null, "planned", "wp:other"),
            Vm(3, "done", 1, null, "active", Wp));

        Assert.Equal(["mine"], plan.Objects.Select(o => o.Name));
    }

    [Theory]
    [InlineData("--wave", "db", new[] { "db-1" })]
    [InlineData("--priority", "high", new[] { "net-1", "db-1" })]
    [InlineData("--sprint", "s2", new[] { "web-1" })]
    [InlineData("--sequence", "15-30", new[] { "db-1", "web-1" })]
    public void Plan_Filters_SelectObjectsAndKeepDependenciesWithinSelection(string filter, string value, string[] expected)
    {
        var selection = filter switch
        {
            "--wave" => Selection.Parse([value], null, null, null),
            "--priority" => Selection.Parse(null, value, null, null),
            "--sprint" => Selection.Parse(null, null, value, null),
            _ => Selection.Parse(null, null, null, value),
        };

        var plan = Plan(selection,
            Vm(1, "net-1", 10, null, "planned", Wp, "wave:network", "priority:high"),
            Vm(2, "db-1", 20, null, "planned", Wp, "wave:db", "priority:high", "sprint:s1"),
            Vm(3, "web-1", 30, null, "planned", Wp, "wave:web", "priority:low", "sprint:s2"));

        Assert.Equal(expected, plan.Objects.Select(o => o.Name));
        var kept = plan.Waves.Select(w => w.Name).ToHashSet();
        Assert.All(plan.Waves, w => Assert.All(w.DependsOn, d => Assert.Contains(d, kept)));
    }

    [Theory]
    [InlineData(null, "urgent", null, null, "--priority 'urgent'")]
    [InlineData(null, null, null, "20-10", "--sequence '20-10'")]
    [InlineData(null, null, null, "ten", "--sequence 'ten'")]
    public void Selection_BadFilter_IsUsageErrorNamingOption(string? wave, string? priority, string? sprint, string? sequence, string expected)
    {
        var ex = Assert.Throws<NautilusException>(() => Selection.Parse(wave is null ? null : [wave], priority, sprint, sequence));

        Assert.Equal(ExitCode.Usage, ex.Code);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WaveNamesThatSanitiseAlike_AreInvalidData()
    {
        var ex = Assert.Throws<NautilusException>(() => Plan(null,
            Vm(1, "a", 1, null, "planned", Wp, "wave:App Tier"),
            Vm(2, "b", 2, null, "planned", Wp, "wave:app-tier")));

        Assert.Contains("both become 'app-tier'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_FromExample_IsStableAndListsObjectsInOrder()
    {
        var snapshot = await Nautilus.Core.NetBox.ExportFileSource.ReadAsync(CliRunner.Example, CancellationToken.None);
        var first = Manifest.From(Planner.Plan(snapshot, "dc1-refresh", "file:x", null, Planned)).ToJson();
        var second = Manifest.From(Planner.Plan(snapshot, "dc1-refresh", "file:x", null, Planned)).ToJson();

        Assert.Equal(first, second);
        var manifest = System.Text.Json.JsonSerializer.Deserialize<Manifest>(first, Manifest.JsonOptions)!;
        Assert.Equal("dc1-refresh", manifest.WorkPackage);
        Assert.DoesNotContain(manifest.Waves.SelectMany(w => w.Objects), o => o.Name == "dc1-bastion-01");
        Assert.Equal("dcim.device", manifest.Waves[0].Objects[0].Type);
        Assert.Equal(["power-upgrade"], manifest.Waves.Single(w => w.Name == "database").DependsOnWorkPackages);
    }
}
