/// The transcript's inline stylesheet and script. Both are fixed text (role colours are added as classes at
/// render time), so their hashes pin them in the file's Content-Security-Policy.
enum TranscriptStyle {
    static let css = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#2e3338;--mu:#5c6470;--bd:#e3e5e8;--cd:#f2f3f5;--ln:#0068e0}\
        @media (prefers-color-scheme:dark){:root{--bg:#313338;--fg:#dbdee1;--mu:#9aa1ab;--bd:#3f4147;\
        --cd:#2b2d31;--ln:#00a8fc}}*{box-sizing:border-box}body{margin:0 auto;max-width:60rem;padding:1rem;\
        background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}\
        a{color:var(--ln)}h1{font-size:1.35rem;margin:0 0 .4rem}.summary{color:var(--mu);margin:0 0 .6rem}\
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:0 0 .8rem}dt{font-weight:600}\
        dd{margin:0}nav{display:flex;gap:.5rem;flex-wrap:wrap;margin-bottom:1rem}nav input{flex:1;min-width:12rem}\
        nav input,nav select{font:inherit;padding:.3rem .5rem;border:1px solid var(--bd);border-radius:4px;\
        background:var(--bg);color:var(--fg)}header{border-bottom:1px solid var(--bd);margin-bottom:.5rem}\
        .g{display:flex;gap:.75rem;padding:.35rem 0}.av{flex:none;width:2.5rem;height:2.5rem;border-radius:50%;\
        display:flex;align-items:center;justify-content:center;font-weight:700;color:#fff;font-size:.9rem}\
        .a0{background:#5865f2}.a1{background:#3ba55c}.a2{background:#faa61a}.a3{background:#ed4245}\
        .a4{background:#eb459e}.a5{background:#00a8fc}.a6{background:#747f8d}.a7{background:#9b59b6}\
        .b{min-width:0;flex:1}h2{font-size:1rem;margin:0;font-weight:600}h2 time,.note{color:var(--mu);\
        font-weight:400;font-size:.78rem}.bot{background:#5865f2;color:#fff;font-size:.65rem;padding:0 .3rem;\
        border-radius:3px;margin-left:.3rem;vertical-align:middle}.m{padding:.1rem 0}.c{overflow-wrap:anywhere}\
        .del{opacity:.6}.del .c{text-decoration:line-through}.re{font-size:.82rem;color:var(--mu)}\
        code{background:var(--cd);border-radius:3px;padding:0 .2rem;font-size:.88em}pre{background:var(--cd);\
        padding:.5rem;border-radius:4px;overflow-x:auto;white-space:pre-wrap}pre code{padding:0}\
        blockquote{border-left:4px solid var(--bd);margin:.2rem 0;padding:0 .6rem}.sp{background:var(--fg);\
        color:transparent;border-radius:3px}.sp:hover,.sp:focus{background:var(--cd);color:inherit}\
        .mn{background:rgba(88,101,242,.15);color:var(--ln);border-radius:3px;padding:0 .15rem}\
        .emb{border-left:4px solid var(--bd);background:var(--cd);border-radius:4px;padding:.4rem .6rem;\
        margin:.25rem 0;max-width:32rem}.bar{border-left-color:currentColor}.bar>*{color:var(--fg)}\
        .et{font-weight:600}.ef{margin-top:.3rem}.file{background:var(--cd);border-radius:4px;padding:.3rem .5rem;\
        margin:.2rem 0;display:inline-block}.file img{max-width:100%;max-height:20rem;margin-top:.3rem}\
        .cmp{display:flex;gap:.3rem;margin:.25rem 0}.btn{border:1px solid var(--bd);border-radius:4px;\
        padding:.15rem .6rem;font-size:.85rem;color:var(--mu)}details.old{font-size:.8rem;color:var(--mu)}\
        footer{color:var(--mu);font-size:.8rem;border-top:1px solid var(--bd);margin-top:1rem;padding-top:.5rem}\
        h3,h4,h5{margin:.2rem 0}ul,ol{margin:.2rem 0;padding-left:1.4rem}[hidden]{display:none!important}\
        @media print{nav,script{display:none}body{max-width:none}.sp{color:inherit;background:none}}
        """

    /// Search by text and author, and local times; no network, no eval, no inline handlers.
    static let script = """
        (function(){var q=document.getElementById('q'),w=document.getElementById('who'),\
        g=document.querySelectorAll('.g');function f(){var t=q.value.toLowerCase(),a=w.value;\
        for(var i=0;i<g.length;i++){var s=g[i],ok=!a||s.getAttribute('data-a')===a,any=false,\
        m=s.querySelectorAll('.m');for(var j=0;j<m.length;j++){var v=ok&&(!t||m[j].textContent.toLowerCase()\
        .indexOf(t)>=0);m[j].hidden=!v;any=any||v}s.hidden=!any}}q.addEventListener('input',f);\
        w.addEventListener('change',f);var d=document.querySelectorAll('time');for(var k=0;k<d.length;k++){\
        var x=new Date(d[k].getAttribute('datetime'));if(!isNaN(x))d[k].textContent=x.toLocaleString()}})();
        """
}
