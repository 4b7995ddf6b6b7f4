using System.Globalization;
using Nautilus.Core.NetBox;
using Nautilus.Core.Planning;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Nautilus.Core.Rendering;

/// <summary>
/// ansible/&lt;wp&gt;/inventory.yml, emitted by YamlDotNet. Groups and host variables follow
/// netbox.netbox.nb_inventory with `plurals: false` (role_, site_, cluster_, platform_, tenant_, tag_, status_;
/// invalid characters → '_' as Ansible's to_safe_group_name does), so playbooks written against nb_inventory
/// keep working; plus wave_&lt;wave&gt; and Nautilus's own netbox_* and nautilus_* variables.
/// </summary>
public static partial class InventoryWriter
{
    public static string Write(WavePlan plan, IReadOnlyList<WaveModel> waves)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(plan, waves, writer);
        return writer.ToString();
    }

    /// <summary>
    /// Writes the inventory. Most inventories go through <see cref="TryWriteDirect"/>, which writes the text the
    /// emitter would (its tests compare the two); a host, group or custom field it does not cover goes through
    /// the emitter itself.
    /// </summary>
    public static void Write(WavePlan plan, IReadOnlyList<WaveModel> waves, TextWriter writer)
    {
        var (members, sources) = Members(plan, waves);
        if (!TryWriteDirect(plan, members, sources, writer))
        {
            writer.Write(WriteWithEmitter(plan, waves));
        }
    }

    private static (List<(WaveModel Wave, ObjectModel Object)> Members, Dictionary<(string ObjectType, int Id), PlannedObject> Sources) Members(WavePlan plan,
        IReadOnlyList<WaveModel> waves) =>
        (waves.SelectMany(w => w.Objects.Select(o => (Wave: w, Object: o))).OrderBy(m => m.Object.InventoryHost, StringComparer.Ordinal).ToList(),
         plan.Objects.ToDictionary(o => (o.Source.ObjectType, o.Id)));

    /// <summary>The inventory as YamlDotNet's emitter writes it, event by event.</summary>
    internal static string WriteWithEmitter(WavePlan plan, IReadOnlyList<WaveModel> waves)
    {
        var (members, sources) = Members(plan, waves);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var groups = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Join(string group, string host)
        {
            if (!groups.TryGetValue(group, out var hosts))
            {
                groups[group] = hosts = new SortedSet<string>(StringComparer.Ordinal);
            }

            hosts.Add(host);
        }

        writer.Write("# " + IacGenerator.Header + "\n");
        var e = YamlText.NewEmitter(writer);
        e.Emit(new StreamStart());
        e.Emit(new DocumentStart(null, null, true));
        e.Emit(new MappingStart());
        Plain(e, "all");
        e.Emit(new MappingStart());
        Plain(e, "hosts");
        e.Emit(new MappingStart());
        foreach (var (wave, o) in members)
        {
            var source = sources[(o.ObjectType, o.Id)].Source;
            var host = o.InventoryHost;
            YamlText.EmitKey(e, host);
            e.Emit(new MappingStart());
            if (o.Ipv4Address is not null)
            {
                Str(e, "ansible_host", o.Ipv4Address);
                Str(e, "primary_ip4", o.Ipv4Address);
            }

            Str(e, "netbox_object_type", o.ObjectType);
            Plain(e, "netbox_object_id");
            YamlText.EmitPlain(e, o.Id.ToString(CultureInfo.InvariantCulture));
            Str(e, "netbox_name", o.Name);
            Str(e, "netbox_url", o.Url);
            Str(e, "nautilus_work_package", plan.WorkPackage);
            Str(e, "nautilus_wave", wave.Name);
            Str(e, "nautilus_terraform_address", o.TerraformAddress);
            Plain(e, "is_virtual");
            YamlText.EmitPlain(e, o.IsVirtual ? "true" : "false");

            Plain(e, "status");
            e.Emit(new MappingStart());
            Str(e, "value", source.StatusValue);
            Str(e, "label", source.Status?.Label ?? source.StatusValue);
            e.Emit(new MappingEnd());
            Join(Escaping.AnsibleGroup("status_", source.StatusValue), host);

            Ref(e, "role", o.Role, slug: true, group: "role_", host, Join);
            Ref(e, "site", o.Site, slug: true, group: "site_", host, Join);
            Ref(e, "cluster", o.Cluster, slug: false, group: "cluster_", host, Join);
            Ref(e, "platform", o.Platform, slug: true, group: "platform_", host, Join);
            Ref(e, "tenant", o.Tenant, slug: true, group: "tenant_", host, Join);
            if (o.DeviceType is not null)
            {
                Str(e, "device_type", o.DeviceType);
            }

            Plain(e, "tags");
            e.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
            foreach (var tag in source.Tags.OrderBy(t => t.Slug, StringComparer.Ordinal))
            {
                YamlText.EmitString(e, tag.Slug);
                Join(Escaping.AnsibleGroup("tag_", tag.Slug), host);
            }

            e.Emit(new SequenceEnd());

            Plain(e, "custom_fields");
            e.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
            foreach (var (key, value) in (source.CustomFields ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                YamlText.EmitKey(e, key);
                YamlText.EmitJson(e, value);
            }

            e.Emit(new MappingEnd());

            if (source is VirtualMachine vm)
            {
                Number(e, "vcpus", vm.Vcpus?.ToString(CultureInfo.InvariantCulture));
                Number(e, "memory", vm.Memory?.ToString(CultureInfo.InvariantCulture));
                Number(e, "disk", vm.Disk?.ToString(CultureInfo.InvariantCulture));
            }

            if (o.Description is not null)
            {
                Str(e, "description", o.Description);
            }

            if (o.Comments is not null)
            {
                Str(e, "comments", o.Comments);
            }

            e.Emit(new MappingEnd());
            Join(wave.Group, host);
        }

        e.Emit(new MappingEnd());

        Plain(e, "children");
        e.Emit(new MappingStart());
        foreach (var (group, hosts) in groups)
        {
            Plain(e, group);
            e.Emit(new MappingStart());
            Plain(e, "hosts");
            e.Emit(new MappingStart());
            foreach (var host in hosts)
            {
                YamlText.EmitKey(e, host);
                e.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
                e.Emit(new MappingEnd());
            }

            e.Emit(new MappingEnd());
            e.Emit(new MappingEnd());
        }

        e.Emit(new MappingEnd());
        e.Emit(new MappingEnd());
        e.Emit(new MappingEnd());
        e.Emit(new DocumentEnd(true));
        e.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Ref(IEmitter e, string key, NamedRef? value, bool slug, string group, string host, Action<string, string> join)
    {
        if (value is null)
        {
            return;
        }

        // nb_inventory names groups (and these variables) by slug, except clusters, by name.
        var text = slug ? value.Slug ?? value.Name : value.Name;
        Str(e, key, text);
        join(Escaping.AnsibleGroup(group, text), host);
    }

    private static void Plain(IEmitter e, string key) => YamlText.EmitPlain(e, key);

    private static void Str(IEmitter e, string key, string? value)
    {
        Plain(e, key);
        if (value is null)
        {
            YamlText.EmitNull(e);
        }
        else
        {
            YamlText.EmitString(e, value);
        }
    }

    private static void Number(IEmitter e, string key, string? value)
    {
        Plain(e, key);
        YamlText.EmitPlain(e, value ?? "null");
    }
}
