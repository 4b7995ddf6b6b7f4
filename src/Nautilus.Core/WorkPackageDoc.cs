namespace Nautilus.Core;

/// <summary>
/// docs/work-packages/&lt;wp&gt;.md as `wp init` writes it. Its YAML front matter holds the `netbox:` selectors the
/// webhook service reads when the branch is pushed (docs/design.md §8): objects matching them get the wp tag.
/// </summary>
public static class WorkPackageDoc
{
    public static string Render(string workPackage, string branch) =>
        $"""
        ---
        work_package: {workPackage}
        # Objects the webhook service tags wp:{workPackage} when {branch} is pushed. Each entry is a NetBox
        # filter, e.g. virtual_machines: [{"{"}name__isw: web-{"}"}] or devices: [{"{"}site: dc1, role: leaf{"}"}].
        netbox:
          virtual_machines: []
          devices: []
        ---

        # Work package {workPackage}

        NetBox tag `wp:{workPackage}` · branch `{branch}` · code `terraform/{workPackage}/`, `ansible/{workPackage}/`

        ## Goal

        What this work package changes and why.

        ## Waves

        Set `deployment_wave` and `deployment_sequence` on the objects in NetBox, then see the order with
        `nautilus wp status {workPackage}`.

        ## Rollback

        How to undo each wave.

        """.ReplaceLineEndings("\n");
}
