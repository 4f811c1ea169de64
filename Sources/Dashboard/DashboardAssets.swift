/// The dashboard's stylesheet and its one script (live updates), served from `/assets/` so the pages' CSP can
/// forbid every inline style and script.
enum DashboardAssets {
    static let css = """
        :root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1f2328;--mu:#5c6470;--bd:#d8dde3;--ac:#5865f2;\
        --er:#d83c3e}@media (prefers-color-scheme:dark){:root{--bg:#1e1f22;--card:#2b2d31;--fg:#e3e5e8;--mu:#a1a8b3;\
        --bd:#3f4147;--ac:#7984f5;--er:#f26d6f}}*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);\
        font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}header.top{display:flex;gap:1rem;align-items:center;\
        flex-wrap:wrap;padding:.6rem 1rem;background:var(--card);border-bottom:1px solid var(--bd)}header.top a{color:var(--fg);\
        text-decoration:none;font-weight:600}header.top form{margin-left:auto}main{max-width:64rem;margin:0 auto;padding:1rem}\
        a{color:var(--ac)}.card{background:var(--card);border:1px solid var(--bd);border-radius:8px;padding:1rem;\
        margin-bottom:1rem}.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.8rem}\
        .tile{background:var(--card);border:1px solid var(--bd);border-radius:8px;padding:.8rem}.tile b{display:block;\
        font-size:1.6rem}.tile span{color:var(--mu);font-size:.85rem}nav.tabs{display:flex;gap:1rem;margin:0 0 1rem;\
        flex-wrap:wrap}.chart{width:100%;height:auto}.chart rect{fill:var(--ac)}.chart polyline{fill:none;stroke:var(--ac);\
        stroke-width:2}.chart circle{fill:var(--ac)}.chart text{fill:var(--mu);font-size:10px}label{display:block;\
        font-weight:600;margin-top:.8rem}input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid var(--bd);\
        border-radius:6px;background:var(--card);color:var(--fg);max-width:100%}button{background:var(--ac);color:#fff;\
        border:0;cursor:pointer}.error{color:var(--er);font-size:.9rem}.hint{color:var(--mu);font-size:.85rem}\
        .flash{background:rgba(87,242,135,.15);border:1px solid #3ba55c;border-radius:6px;padding:.5rem .8rem}\
        blockquote{margin:.5rem 0;padding:.3rem .8rem;border-left:3px solid var(--mu);white-space:pre-wrap}\
        table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.4rem;border-bottom:1px solid var(--bd)}\
        .guilds{list-style:none;padding:0}.guilds li{padding:.5rem 0;border-bottom:1px solid var(--bd)}\
        iframe{width:100%;height:75vh;border:1px solid var(--bd);border-radius:8px;background:#fff}\
        .problems{border-color:var(--er)}textarea{font:inherit;width:100%;padding:.35rem .5rem;border:1px solid var(--bd);\
        border-radius:6px;background:var(--card);color:var(--fg)}.preview{border:1px dashed var(--bd);border-radius:6px;\
        padding:.5rem .8rem;min-height:2rem}fieldset{border:1px solid var(--bd);border-radius:6px;margin-top:.8rem}\
        fieldset label{font-weight:400;margin-top:.3rem}button.danger{background:var(--er)}\
        tr.snippet td{color:var(--mu);font-size:.9rem;padding-top:0}mark{background:rgba(250,166,26,.35);\
        color:inherit;border-radius:3px;padding:0 .1rem}@media (max-width:40rem){th:nth-child(n+5),td:nth-child(n+5){display:none}}
        """

    /// Live numbers (server-sent events), the name-template preview and the welcome text's preview (rendered by
    /// the server's own markdown renderer, half a second after typing stops). Pages work without it.
    static let script = """
        (function(){var root=document.querySelector('[data-events]');if(root&&window.EventSource){\
        var es=new EventSource(root.getAttribute('data-events'));es.onmessage=function(e){var d=JSON.parse(e.data);\
        for(var k in d){var el=document.getElementById('n-'+k);if(el)el.textContent=d[k]}\
        var c=document.getElementById('charts');if(c&&root.getAttribute('data-charts')){fetch(root.getAttribute('data-charts'),\
        {credentials:'same-origin'}).then(function(r){return r.text()}).then(function(t){c.innerHTML=t})}}}\
        var tpl=document.getElementById('name_template'),out=document.getElementById('name-preview');\
        if(tpl&&out){tpl.addEventListener('input',function(){var n=tpl.value.split('{username}').join('alice')\
        .split('{number}').join('0042').split('{type}').join((document.getElementById('name')||{}).value||'ticket').toLowerCase().replace(/\\s+/g,'-').replace(/[^\\p{L}\\p{N}_-]/gu,'')\
        .replace(/-+/g,'-').replace(/^-|-$/g,'').slice(0,100);out.textContent=n||'ticket-0042'})}\
        var wt=document.getElementById('welcome_text'),wp=document.getElementById('welcome-preview'),timer;\
        if(wt&&wp&&wt.form){wt.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(function(){\
        var body=new URLSearchParams();body.set('csrf',wt.form.elements.csrf.value);body.set('text',wt.value);\
        fetch(wt.form.getAttribute('action').replace(/\\/config\\/types\\/.*$/,'/config/preview'),{method:'POST',\
        credentials:'same-origin',body:body}).then(function(r){return r.ok?r.text():null}).then(function(t){if(t!==null)wp.innerHTML=t})},500)})}\
        })();
        """
}
