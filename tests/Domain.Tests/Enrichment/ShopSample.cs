namespace SessionInsights.Domain.Tests.Enrichment;

/// <summary>
/// Eight events copied from a real PostHog export of a demo drone shop (one wrapped in a webhook
/// envelope). Like the export, they have no uuid, no <c>$pathname</c> and no <c>$current_url</c>.
/// </summary>
internal static class ShopSample
{
    public const string Events = """
        [
          {
            "event": "$pageleave",
            "timestamp": "2025-12-08 21:48:08.975000",
            "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
            "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
            "created_at": "2025-12-08 21:48:09.367000",
            "elements_chain": "",
            "properties": {
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "$session_id": "019affef-35d2-7660-86dc-8e9873937f61",
              "$event_type": null,
              "token": "sample_token",
              "$session_entry_url": "http://localhost:3000/",
              "$el_text": null
            }
          },
          {
            "event": {
              "event": "$pageview",
              "timestamp": "2025-12-08 21:48:06.537000",
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
              "created_at": "2025-12-08 21:48:08.376000",
              "elements_chain": "",
              "properties": {
                "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
                "$session_id": "019affef-35d2-7660-86dc-8e9873937f61",
                "$event_type": null,
                "token": "sample_token",
                "$session_entry_url": "http://localhost:3000/",
                "$el_text": null
              }
            },
            "person": {
              "id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
              "properties": {
                "email": "demo@example.com"
              }
            }
          },
          {
            "event": "$autocapture",
            "timestamp": "2025-12-08 21:48:06.536000",
            "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
            "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
            "created_at": "2025-12-08 21:48:08.374000",
            "elements_chain": "button.cursor-pointer.hover:text-indigo-600.text-gray-700.transition-colors:attr__class=\"cursor-pointer transition-colors text-gray-700 hover:text-indigo-600\"attr__data-ph-capture-attribute-nav=\"about\"nth-child=\"2\"nth-of-type=\"2\"text=\"About\";nav.flex.gap-6.items-center:attr__class=\"flex items-center gap-6\"nth-child=\"2\"nth-of-type=\"1\";div.flex.items-center.justify-between.py-4:attr__class=\"flex items-center justify-between py-4\"nth-child=\"1\"nth-of-type=\"1\";div.max-w-7xl.mx-auto.px-4:attr__class=\"mx-auto max-w-7xl px-4\"nth-child=\"1\"nth-of-type=\"1\";header.bg-white.shadow-sm.sticky.top-0.z-10:attr__class=\"bg-white shadow-sm sticky top-0 z-10\"nth-child=\"1\"nth-of-type=\"1\";div.bg-gray-50.min-h-screen:attr__class=\"min-h-screen bg-gray-50\"nth-child=\"1\"nth-of-type=\"1\";div:attr__id=\"root\"attr_id=\"root\"nth-child=\"1\"nth-of-type=\"1\";body:attr__data-gr-ext-installed=\"\"attr__data-new-gr-c-s-check-loaded=\"14.1265.0\"nth-child=\"2\"nth-of-type=\"1\"",
            "properties": {
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "$session_id": "019affef-35d2-7660-86dc-8e9873937f61",
              "$event_type": "click",
              "token": "sample_token",
              "$session_entry_url": "http://localhost:3000/",
              "$el_text": "About"
            }
          },
          {
            "event": "$dead_click",
            "timestamp": "2025-12-08 21:48:03.766000",
            "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
            "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
            "created_at": "2025-12-08 21:48:07.040000",
            "elements_chain": "p.text-gray-600:attr__class=\"text-gray-600\"nth-child=\"2\"nth-of-type=\"1\"text=\"2products available\";div:nth-child=\"1\"nth-of-type=\"1\";div.flex.items-center.justify-between.mb-6:attr__class=\"mb-6 flex items-center justify-between\"nth-child=\"1\"nth-of-type=\"1\";main.max-w-7xl.mx-auto.px-4.py-8:attr__class=\"mx-auto max-w-7xl px-4 py-8\"nth-child=\"1\"nth-of-type=\"1\"",
            "properties": {
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "$session_id": "019affef-35d2-7660-86dc-8e9873937f61",
              "$event_type": "click",
              "token": "sample_token",
              "$session_entry_url": "http://localhost:3000/",
              "$el_text": "2products available"
            }
          },
          {
            "event": "filter_changed",
            "timestamp": "2025-12-08 21:47:59.719000",
            "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
            "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
            "created_at": "2025-12-08 21:48:01.942000",
            "elements_chain": "",
            "properties": {
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "$session_id": "019affef-35d2-7660-86dc-8e9873937f61",
              "$event_type": null,
              "token": "sample_token",
              "$session_entry_url": "http://localhost:3000/",
              "$el_text": null
            }
          },
          {
            "event": "$rageclick",
            "timestamp": "2025-12-08 21:47:55.056000",
            "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
            "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
            "created_at": "2025-12-08 21:47:58.694000",
            "elements_chain": "svg.lucide.lucide-heart.text-gray-600:attr__class=\"lucide lucide-heart text-gray-600\"attr__fill=\"none\"attr__height=\"18\"attr__stroke=\"currentColor\"attr__stroke-linecap=\"round\"attr__stroke-linejoin=\"round\"attr__stroke-width=\"2\"attr__viewBox=\"0 0 24 24\"attr__width=\"18\"attr__xmlns=\"http://www.w3.org/2000/svg\"nth-child=\"1\"nth-of-type=\"1\";button.absolute.bg-white.hover:bg-gray-50.p-2.right-3.rounded-full.shadow-md.top-3.transition-colors:attr__class=\"absolute top-3 right-3 p-2 bg-white rounded-full shadow-md hover:bg-gray-50 transition-colors\"attr__data-ph-capture-attribute-action=\"toggle-favorite\"nth-child=\"2\"nth-of-type=\"1\";div.aspect-video.bg-gray-100.overflow-hidden.relative.rounded-t-lg:attr__class=\"relative aspect-video bg-gray-100 rounded-t-lg overflow-hidden\"nth-child=\"1\"nth-of-type=\"1\";div.bg-white.cursor-pointer.group.hover:shadow-md.rounded-lg.shadow-sm.transition-all:attr__class=\"bg-white rounded-lg shadow-sm hover:shadow-md transition-all cursor-pointer group\"attr__data-ph-capture-attribute-product-id=\"2\"attr__data-ph-capture-attribute-product-name=\"Racing Raptor\"nth-child=\"2\"nth-of-type=\"2\";div.gap-6.grid.grid-cols-1.lg:grid-cols-3.mb-12.md:grid-cols-2:attr__class=\"grid grid-cols-1 md:grid-cols-2 lg:grid-cols-3 gap-6 mb-12\"nth-child=\"2\"nth-of-type=\"2\";main.max-w-7xl.mx-auto.px-4.py-8:attr__class=\"mx-auto max-w-7xl px-4 py-8\"nth-child=\"2\"nth-of-type=\"1\";div.bg-gray-50.min-h-screen:attr__class=\"min-h-screen bg-gray-50\"nth-child=\"1\"nth-of-type=\"1\";div:attr__id=\"root\"attr_id=\"root\"nth-child=\"1\"nth-of-type=\"1\";body:attr__data-gr-ext-installed=\"\"attr__data-new-gr-c-s-check-loaded=\"14.1265.0\"nth-child=\"2\"nth-of-type=\"1\"",
            "properties": {
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "$session_id": "019affef-35d2-7660-86dc-8e9873937f61",
              "$event_type": "click",
              "token": "sample_token",
              "$session_entry_url": "http://localhost:3000/",
              "$el_text": null
            }
          },
          {
            "event": "product_clicked",
            "timestamp": "2025-12-08 21:47:54.057000",
            "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
            "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
            "created_at": "2025-12-08 21:47:54.564000",
            "elements_chain": "",
            "properties": {
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "$session_id": "019affef-35d2-7660-86dc-8e9873937f61",
              "$event_type": null,
              "token": "sample_token",
              "$session_entry_url": "http://localhost:3000/",
              "$el_text": null
            }
          },
          {
            "event": "$autocapture",
            "timestamp": "2025-12-05 11:45:28.763000",
            "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
            "person_id": "bcf6859d-cf66-5287-b4f3-9d5570b0fd91",
            "created_at": "2025-12-05 11:45:30.243000",
            "elements_chain": "form.flex-1.max-w-md.mx-8:attr__class=\"flex-1 mx-8 max-w-md\"nth-child=\"2\"nth-of-type=\"1\";div.flex.items-center.justify-between.py-4:attr__class=\"flex items-center justify-between py-4\"nth-child=\"1\"nth-of-type=\"1\";div.max-w-7xl.mx-auto.px-4:attr__class=\"mx-auto max-w-7xl px-4\"nth-child=\"1\"nth-of-type=\"1\";header.bg-white.shadow-sm.sticky.top-0.z-10:attr__class=\"bg-white shadow-sm sticky top-0 z-10\"nth-child=\"1\"nth-of-type=\"1\";div.bg-gray-50.min-h-screen:attr__class=\"min-h-screen bg-gray-50\"nth-child=\"1\"nth-of-type=\"1\";div:attr__id=\"root\"attr_id=\"root\"nth-child=\"1\"nth-of-type=\"1\";body:attr__data-gr-ext-installed=\"\"attr__data-new-gr-c-s-check-loaded=\"14.1265.0\"nth-child=\"2\"nth-of-type=\"1\"",
            "properties": {
              "distinct_id": "019aff19-86cb-7abd-b27e-5e3a34fc85f2",
              "$session_id": "019aee4f-016d-715e-9143-135b316f7144",
              "$event_type": "submit",
              "token": "sample_token",
              "$session_entry_url": "http://localhost:3000/",
              "$el_text": null
            }
          }
        ]
        """;
}
